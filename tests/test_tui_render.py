"""Rendering with rich: every view at widths 40, 80 and 160; nothing cut, nothing overflows, no markup read."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import RenderableType

from tests.conftest import PACKS
from zone.engine import Engine, Frame
from zone.pack import load_pack
from zone.run import JournalEntry, Run
from zone.saves.slots import SlotInfo
from zone.tui import render
from zone.tui.glyphs import ASCII, for_encoding
from zone.tui.ingame import help_lines
from zone.tui.richview import make_console
from zone.tui.transcripts import story_so_far, transcript_html
from zone.tui.view import EndingSummary, MenuItem, menu_of, status_of

WIDTHS = (40, 80, 160)
WALK = PACKS / "tui" / "walk"
LONG = ("The Zone is a very complicated system of traps, and they are all deadly. I do not know what happens "
        "here when there are no people, but the moment someone comes, everything comes into motion. "
        "Former traps disappear and new ones appear; safe places become impassable.")
MARKUP = "He wrote [bold] and [/] and [link=x] and [red on blue]not red[/red on blue] and :smile: on the wall."


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_pack(WALK))


def show(renderable: RenderableType, width: int) -> str:
    out = io.StringIO()
    console = make_console(out, no_color=True, width=width)
    console.print(renderable)
    return out.getvalue()


def words(text: str) -> str:
    return " ".join(text.split())


def assert_fits(text: str, width: int) -> None:
    assert "\x1b" not in text
    assert "…" not in text, "something was cut short"
    for line in text.splitlines():
        assert cell_len(line) <= width, f"overflows {width}: {line!r}"


def frame_with(engine: Engine, text: str) -> Frame:
    frame = engine.frame(engine.start(1))
    return frame._replace(text=text)


@pytest.mark.parametrize("width", WIDTHS)
def test_narration_is_wrapped_whole_within_the_width(engine: Engine, width: int) -> None:
    text = show(render.frame(frame_with(engine, LONG + "\n\n" + LONG)), width)
    assert_fits(text, width)
    assert words(LONG) in words(text)
    assert "BEFORE DAWN" in text and "The kitchen, before the alarm" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_the_measure_is_at_most_76_columns_and_centred_on_wide_terminals(engine: Engine, width: int) -> None:
    text = show(render.frame(frame_with(engine, LONG)), width)
    lines = [line for line in text.splitlines() if line.strip()]
    left = (width - min(render.MEASURE, width)) // 2
    assert all(line.startswith(" " * left) for line in lines)
    assert any(not line.startswith(" " * (left + 1)) for line in lines)
    assert max(cell_len(line) - left for line in lines) <= render.MEASURE
    assert max(cell_len(line) for line in lines) > left + min(render.MEASURE, width) - 15  # the column is used


@pytest.mark.parametrize("width", WIDTHS)
def test_a_word_longer_than_the_line_is_folded_not_cut(engine: Engine, width: int) -> None:
    word = "x" * 120
    text = show(render.frame(frame_with(engine, f"A {word} b")), width)
    assert_fits(text, width)
    assert "".join(text.split()).count("x") == 120


@pytest.mark.parametrize("width", WIDTHS)
def test_markup_in_narration_prints_literally(engine: Engine, width: int) -> None:
    text = show(render.frame(frame_with(engine, MARKUP)), width)
    assert words(MARKUP) in words(text)
    assert_fits(text, width)


def test_markup_in_the_bundled_test_pack_prints_literally(engine: Engine) -> None:
    text = show(render.frame(engine.frame(engine.start(1))), 160)
    assert "[bold] at the top of a page, [/] at the bottom, and [link=x] in the margin" in words(text)


def test_markup_and_control_characters_in_choices_status_and_journal(engine: Engine) -> None:
    items = [MenuItem("[bold]Go[/]"), MenuItem("Wait \x1b[31mred", False, "[link=x]Not yet\x07")]
    text = show(render.choices(items, 0), 80)
    assert "[bold]Go[/]" in text and "[link=x]Not yet" in text
    assert "\x1b" not in text and "\x07" not in text and "Wait [31mred" in text
    entries = [JournalEntry(0, "[i]Chapter", "[b]Title", "Text [bold]x", "[/]choice")]
    journal = show(render.journal(entries), 80)
    for literal in ("[i]Chapter", "[b]Title", "Text [bold]x", "[/]choice"):
        assert literal in journal


@pytest.mark.parametrize("width", WIDTHS)
def test_choices_are_numbered_the_marked_one_shown_disabled_ones_with_their_reason(width: int) -> None:
    items = [MenuItem("Go into the bar."), MenuItem(LONG), MenuItem("Walk straight to the road.", False,
                                                                      "Not without the nuts.")]
    text = show(render.choices(items, 1), width)
    assert_fits(text, width)
    flat = words(text)
    assert "1. Go into the bar." in flat
    assert "› 2. " + words(LONG) in flat
    assert "3. Walk straight to the road. Not without the nuts." in flat


def test_disabled_choices_are_dimmed(engine: Engine) -> None:
    out = io.StringIO()
    console = make_console(out, no_color=False, force=True, width=80, color_system="256")
    console.print(render.choices([MenuItem("Yes"), MenuItem("No", False, "Never.")]))
    dim_no = "\x1b[2mNo"
    assert dim_no in out.getvalue() and "\x1b[2;3mNever." in out.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
def test_status_shows_every_character_with_bars_and_yes_no(engine: Engine, width: int) -> None:
    state = engine.start(1, values={"writer.trust": 10, "professor.knapsack": False})
    text = show(render.status(status_of(engine.story, state)), width)
    assert_fits(text, width)
    for name in ("The Stalker", "The Writer", "The Professor", "Carried", "Nuts"):
        assert name in text
    trust = next(line for line in text.splitlines() if "Trust" in line)
    assert "━" * 10 in trust and "10 / 10" in trust
    assert "no" in next(line for line in text.splitlines() if "Knapsack" in line)
    assert "yes" in next(line for line in text.splitlines() if "Bottle" in line)


def test_a_bar_is_as_long_as_a_small_range(engine: Engine) -> None:
    story = load_pack(PACKS / "tiny")
    state = Engine(story).start(1)
    text = show(render.status(status_of(story, state)), 80)
    faith = next(line for line in text.splitlines() if "Faith" in line)
    assert "━━─── " in faith + " " and "2 / 5" in faith
    assert "The Guide" in text  # the characters come from the pack, not from the bundled game


@pytest.mark.parametrize("width", WIDTHS)
def test_journal_ending_title_help_and_slots_fit(engine: Engine, width: int) -> None:
    run = Run.new(engine, 1)
    for _ in range(5):
        run.choose(0)
    summary = EndingSummary("Into the Room", ("Before dawn", "The road", "Inside"), 13,
                            status_of(engine.story, run.state), 2, 4, True)
    slots = [SlotInfo("quick", "tui_walk", "The road", "The bar", 3, 1.7e9)]
    for renderable, expected in [
        (render.journal(run.journal()), "You wake before the alarm"),
        (render.ending(summary), "Endings found: 2 of 4"),
        (render.title(engine.story), "The Long Way Round"),
        (render.help_table(help_lines(keys=True)), ":transcript FILE"),
        (render.slots(slots), "quick The road"),
        (render.choices(menu_of(run.frame())), "1. Drive slowly. 2. Drive fast."),
        (render.problems("The pack has errors:", ["a.yaml:1:1: error ZN012: " + LONG]), words(LONG)),
    ]:
        text = show(renderable, width)
        assert_fits(text, width)
        assert expected in words(text)
    ending = words(show(render.ending(summary), width))
    assert "Before dawn → The road → Inside (13 choices)" in ending and "(a new one)" in ending


def test_an_ascii_terminal_gets_ascii_marks_bars_and_separators(engine: Engine) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="backslashreplace")  # LC_ALL=C, visibly
    glyphs = for_encoding(out.encoding)
    console = make_console(out, no_color=True, width=80)
    run = Run.new(engine, 1)
    for _ in range(5):
        run.choose(0)
    state = engine.start(1, values={"writer.trust": 4})
    summary = EndingSummary("Into the Room", ("Before dawn", "The road"), 13, status_of(engine.story, state), 2, 4,
                            False)
    for renderable in (render.choices([MenuItem("Go"), MenuItem("Stay")], 1, glyphs=glyphs),
                       render.status(status_of(engine.story, state), glyphs), render.journal(run.journal(), glyphs),
                       render.ending(summary, glyphs),
                       render.slots([SlotInfo("quick", "tui_walk", "The road", "The bar", 3, 1.7e9)], glyphs)):
        console.print(renderable)
    out.flush()
    text = out.buffer.getvalue().decode("ascii")  # type: ignore[attr-defined]
    assert "\\u" not in text and "\\x" not in text, "a symbol the terminal cannot show"
    assert glyphs is ASCII
    assert "> 2. Stay" in text
    trust = next(line for line in text.splitlines() if "Trust" in line)
    assert "====------" in trust and "4 / 10" in trust
    assert "Before dawn -> The road" in words(text)
    assert "The road - The bar, turn 3" in words(text)
    assert "> Tell them the truth." in text  # the journal's choices


def test_transcript_html_is_a_page_with_the_story_so_far(engine: Engine) -> None:
    run = Run.new(engine, 1)
    run.choose(1)
    page = transcript_html(story_so_far(run))
    assert page.startswith("<!DOCTYPE html>")
    assert "Wake her and say goodbye." in page
    assert "[bold] at the top" in page  # literal, and html-escaped where needed
