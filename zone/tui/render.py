"""What the player sees, as rich renderables: values that any Console can print at any width.

Everything is set in a `Column`: at most `MEASURE` cells wide, centred on a
wider terminal, so the eye never travels across 160 columns of narration.
Author text only ever enters through `rich.text.Text` (never a markup string),
after `clean`, so `[bold]` in a scene prints as `[bold]` and a stray control
character cannot reach the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from zone.engine import Frame
from zone.model import Story, show_value
from zone.run import JournalEntry
from zone.saves.slots import SlotInfo
from zone.tui._text import clean, paragraphs
from zone.tui.glyphs import UNICODE, Glyphs
from zone.tui.view import CommandHelp, EndingSummary, MenuItem, StatLine, Status, StatusLine, saved_when

__all__ = [
    "MEASURE",
    "Column",
    "choices",
    "ending",
    "frame",
    "help_table",
    "journal",
    "message",
    "problems",
    "slots",
    "status",
    "status_line",
    "title",
]

MEASURE = 76  # the widest line of text, in cells
BAR = 10  # the most cells a stat's bar takes
ACCENT = "cyan"


class Column:
    """`renderable` set at most `width` cells wide and centred in the space there is."""

    def __init__(self, renderable: RenderableType, width: int = MEASURE) -> None:
        self.renderable = renderable
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, min(self.width, options.max_width))
        left = (options.max_width - width) // 2
        lines = console.render_lines(self.renderable, options.update(width=width, height=None), pad=False)
        pad = Segment(" " * left)
        for line in lines:
            if left:
                yield pad
            yield from _rstrip(line)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)


def _rstrip(line: list[Segment]) -> list[Segment]:
    """A line without the spaces wrapping leaves at its end (they would trail in copies and exports)."""
    while line and not line[-1].control and not line[-1].text.strip(" "):
        line = line[:-1]
    if line and not line[-1].control and line[-1].text.endswith(" "):
        last = line[-1]
        line = [*line[:-1], Segment(last.text.rstrip(" "), last.style, last.control)]
    return line


def _text(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def _narration(text: str) -> list[RenderableType]:
    out: list[RenderableType] = []
    for para in paragraphs(text):
        if out:
            out.append(Text())
        out.append(Text(para))
    return out


def _heading(chapter: str, scene_title: str) -> list[RenderableType]:
    return [_text(chapter.upper(), "dim"), _text(scene_title, "bold")]


def frame(view: Frame) -> Column:
    """A scene: its chapter, its title and its narration (the choices are `choices`)."""
    return Column(Group(*_heading(view.chapter, view.title), Text(), *_narration(view.text)))


def choices(items: Sequence[MenuItem], selected: int | None = None, *, rows: range | None = None,
            glyphs: Glyphs = UNICODE) -> Column:
    """Numbered choices; the selected one marked, disabled ones dimmed with their reason.

    `rows` draws only those choices, laid out exactly as in the whole list (the
    numbers take the width of the highest), so a long list can be drawn a row at a time.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True, min_width=len(f"{len(items)}."))
    grid.add_column(ratio=1)
    for index in rows if rows is not None else range(len(items)):
        item = items[index]
        mark = Text(glyphs.mark, style=f"bold {ACCENT}") if index == selected else Text(" ")
        number = Text(f"{index + 1}.", style=ACCENT if item.enabled else "dim")
        if item.enabled:
            body = _text(item.text, "bold" if index == selected else "")
        else:
            body = _text(item.text, "dim")
            body.append("\n")
            body.append(clean(item.reason or "Not now."), style="dim italic")
        grid.add_row(mark, number, body)
    return Column(grid)


def _bar(line: StatLine, glyphs: Glyphs) -> Text:
    if line.text:
        return Text(line.text, style=ACCENT)
    if line.type == "bool":
        return Text(show_value(line.value), style=ACCENT if line.value else "dim")
    span = max(1, line.hi - line.lo)
    cells = min(BAR, span)
    filled = round((int(line.value) - line.lo) * cells / span)
    bar = Text(glyphs.full * filled, style=ACCENT)
    bar.append(glyphs.empty * (cells - filled), style="dim")
    return bar


def _value(line: StatLine) -> Text:
    if line.type != "int":
        return Text()
    return Text.assemble(str(line.value), (f" / {line.hi}", "dim"))


def _lines(lines: Iterable[StatLine], glyphs: Glyphs) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=False, min_width=8)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    for line in lines:
        grid.add_row(_text(line.name), _bar(line, glyphs), _value(line))
    return grid


def _status_parts(state: Status, glyphs: Glyphs) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for party in state.parties:
        parts += [_text(party.name, "bold"), _lines(party.stats, glyphs), Text()]
    if state.items:
        parts += [Text("Carried", style="bold"), _lines(state.items, glyphs), Text()]
    return parts[:-1]


def status(state: Status, glyphs: Glyphs = UNICODE) -> Column:
    return Column(Group(*_status_parts(state, glyphs)))


def _short(line: StatLine) -> str:
    """A stat as the status line says it: "Trust 4/10", "Bottle yes", "Mood calm"."""
    if line.text:
        return f"{line.name} {line.text}"
    if line.type == "bool":
        return f"{line.name} {show_value(line.value)}"
    return f"{line.name} {line.value}/{line.hi}"


def status_line(line: StatusLine, glyphs: Glyphs = UNICODE) -> Column:
    """One line, cut short with an ellipsis on a narrow terminal: the chapter, then each character
    met so far with their pinned stats ("Before dawn · The Writer: Trust 4/10 · ...")."""
    text = _text(line.chapter, "bold")
    for party in line.parties:
        text.append(f" {glyphs.dot} ", style="dim")
        text.append(clean(f"{party.name}: "), style="dim")
        text.append(clean(", ".join(_short(s) for s in party.stats)), style=ACCENT)
    text.no_wrap = True
    text.overflow = "ellipsis" if glyphs == UNICODE else "crop"  # "…" only where it can be shown
    return Column(text)


def journal(entries: Sequence[JournalEntry], glyphs: Glyphs = UNICODE) -> Column:
    parts: list[RenderableType] = [Text("The story so far", style="bold"), Text()]
    for entry in entries:
        parts.append(_text(f"{entry.chapter} {glyphs.dot} {entry.title}", "dim"))
        parts += _narration(entry.text)
        if entry.choice is not None:
            parts.append(Text.assemble((f"{glyphs.mark} ", ACCENT), (clean(entry.choice), "italic")))
        parts.append(Text())
    return Column(Group(*parts[:-1]))


def ending(summary: EndingSummary, glyphs: Glyphs = UNICODE) -> Column:
    found = Text(f"Endings found: {summary.found} of {summary.total}")
    if summary.new:
        found.append("  (a new one)", style=ACCENT)
    route = Text("Your way: ", style="dim")
    route.append(clean(f" {glyphs.arrow} ".join(summary.route)) if summary.route else glyphs.none)
    route.append(f"  ({summary.choices} choice{'s' if summary.choices != 1 else ''})", style="dim")
    return Column(Group(Text(), Text("THE END", style="dim"), _text(summary.title, f"bold {ACCENT}"), Text(),
                        route, Text(), *_status_parts(summary.status, glyphs), Text(), found))


def title(story: Story) -> Column:
    byline = _text(f"version {story.version}", "dim")
    parts: list[RenderableType] = [_text(story.title, f"bold {ACCENT}"), byline, Text()]
    parts += _narration(story.about)
    return Column(Group(*parts))


def help_table(lines: Sequence[CommandHelp]) -> Column:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style=ACCENT)
    grid.add_column()
    for line in lines:
        grid.add_row(line.usage, line.about)
    return Column(grid)


def slots(infos: Sequence[SlotInfo], glyphs: Glyphs = UNICODE) -> Column:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style=f"bold {ACCENT}")
    grid.add_column()
    grid.add_column(no_wrap=True, style="dim")
    for info in infos:
        where = _text(f"{info.chapter} {glyphs.dot} {info.scene_title}, turn {info.turn}")
        grid.add_row(info.slot, where, saved_when(info.saved_at))
    return Column(grid)


def message(text: str, style: str = "italic") -> Column:
    return Column(_text(text, style))


def problems(heading: str, lines: Sequence[str]) -> Column:
    grid = Table.grid()
    grid.add_column(width=2)
    grid.add_column()
    for line in lines:
        grid.add_row("", _text(line, "dim"))
    return Column(Group(_text(heading, "yellow"), grid))
