"""The story so far as a record, and as the files `:transcript` writes: plain text and a web page.

The record is rebuilt by replaying the run's choices (the one replay loop,
`zone.replay`), so each passage has what the screen showed around it: the
choices on offer, disabled ones with their reason, the one taken, and the notes
that followed it (`changes_of`, the same words as on screen). A run that ended
carries what the ending screen says (`ending_summary`): the ending, the way
there and the final state of every character.

The web page is semantic and stands alone: headings for chapters and scenes,
paragraphs, lists, one small stylesheet that reads on a phone and prints well.
No author text reaches it unescaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import NamedTuple

from zone.model import show_value
from zone.replay import replay_choices
from zone.run import Run
from zone.tui._text import clean, paragraphs
from zone.tui.view import EndingSummary, MenuItem, StatLine, Status, changes_of, ending_summary, menu_of

__all__ = ["Passage", "StorySoFar", "story_so_far", "transcript_html"]


class Passage(NamedTuple):
    """One scene as it was shown, and what the player did there."""

    chapter: str
    title: str
    text: str
    choices: tuple[MenuItem, ...]  # what was on offer; () for the passage being read now
    taken: int | None  # the index of the choice taken; None for the passage being read now
    notes: tuple[str, ...] = ()  # what the player was told after the choice

    @property
    def choice(self) -> str | None:
        return None if self.taken is None else self.choices[self.taken].text


class StorySoFar(NamedTuple):
    title: str  # the story's
    about: str
    passages: tuple[Passage, ...]
    ending: EndingSummary | None  # when the run has ended: the ending, the way there, the final state


def story_so_far(run: Run, *, notes: bool = True) -> StorySoFar:
    """The run told from its start; `notes` as the player has them (`:notes`). Raises StateError when the
    run cannot be retold. A run whose choices no longer replay (a pack edited since) keeps its journal."""
    engine, story = run.engine, run.engine.story
    start = engine.start(run.seed, scene=run.start_scene, values=run.start_values)
    replayed = replay_choices(engine, start, run.choices)
    passages: list[Passage]
    if replayed.complete:
        passages = [Passage(f.chapter, f.title, f.text, tuple(menu_of(f)), index,
                            changes_of(story, before, after) if notes else ())
                    for f, index, before, after in zip(replayed.frames, replayed.choices, replayed.states,
                                                       replayed.states[1:], strict=False)]
    else:
        passages = [Passage(e.chapter, e.title, e.text, (MenuItem(e.choice),), 0)
                    for e in run.journal() if e.choice is not None]
    now = run.frame()
    passages.append(Passage(now.chapter, now.title, now.text, (), None))
    ending = ending_summary(run, (), new=False) if now.ending is not None else None
    return StorySoFar(story.title, story.about, tuple(passages), ending)


# -- the web page --------------------------------------------------------------------------------
_STYLE = """
:root { color-scheme: light dark; --dim: #6b6b6b; --accent: #0e7490; }
body { margin: 0; font: 1.0625rem/1.6 Georgia, "Times New Roman", serif; }
main { max-width: 36rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; overflow-wrap: break-word; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: .8rem; letter-spacing: .12em; text-transform: uppercase; color: var(--dim); margin: 2.5rem 0 0; }
h3 { font-size: 1.15rem; margin: .5rem 0 .75rem; }
.about, .reason, .way { color: var(--dim); }
ol.choices { padding-left: 1.75rem; margin: 1rem 0; }
ol.choices li { margin: .2rem 0; }
li.taken { font-weight: bold; color: var(--accent); }
li.disabled { color: var(--dim); }
.reason { display: block; font-style: italic; }
ul.notes { list-style: none; padding: 0 0 0 .75rem; margin: .75rem 0; border-left: 3px solid var(--accent); }
ul.notes li { font-style: italic; }
section.ending { margin-top: 3rem; border-top: 1px solid var(--dim); }
section.ending h2 { color: inherit; }
.end-title { font-size: 1.5rem; color: var(--accent); margin: .25rem 0 1rem; }
dl.party { display: grid; grid-template-columns: auto 1fr; gap: .1rem 1rem; margin: .25rem 0 1rem; }
dl.party dd { margin: 0; }
meter { width: 6rem; vertical-align: middle; }
@media print {
  body { font-size: 11pt; color: #000; background: #fff; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  article, ol.choices, ul.notes, section.ending { break-inside: avoid; }
  li.taken, .end-title { color: #000; }
}
"""


def _e(text: str) -> str:
    return escape(clean(text), quote=True)


def _choices(passage: Passage) -> list[str]:
    if not passage.choices:
        return []
    rows = []
    for index, item in enumerate(passage.choices):
        if index == passage.taken:
            rows.append(f'<li class="taken">{_e(item.text)} <span class="chosen">(your choice)</span></li>')
        elif not item.enabled:
            rows.append(f'<li class="disabled">{_e(item.text)} '
                        f'<span class="reason">{_e(item.reason or "Not now.")}</span></li>')
        else:
            rows.append(f"<li>{_e(item.text)}</li>")
    return ['<ol class="choices">', *rows, "</ol>"]


def _passage(passage: Passage) -> list[str]:
    lines = ['<article class="scene">', f"<h3>{_e(passage.title)}</h3>"]
    lines += [f"<p>{_e(para)}</p>" for para in paragraphs(passage.text)]
    lines += _choices(passage)
    if passage.notes:
        lines += ['<ul class="notes">', *(f"<li>{_e(note)}</li>" for note in passage.notes), "</ul>"]
    return [*lines, "</article>"]


def _value(line: StatLine) -> str:
    if line.text:
        return _e(line.text)
    if line.type == "bool":
        return show_value(line.value)
    return (f'<meter min="{line.lo}" max="{line.hi}" value="{int(line.value)}"></meter> '
            f"{int(line.value)} / {line.hi}")


def _status(status: Status) -> list[str]:
    lines: list[str] = []
    groups: list[tuple[str, Sequence[StatLine]]] = [(p.name, p.stats) for p in status.parties]
    if status.items:
        groups.append(("Carried", status.items))
    for name, stats in groups:
        lines.append(f"<h4>{_e(name)}</h4>")
        lines += ['<dl class="party">', *(f"<dt>{_e(s.name)}</dt><dd>{_value(s)}</dd>" for s in stats), "</dl>"]
    return lines


def _ending(summary: EndingSummary) -> list[str]:
    plural = "s" if summary.choices != 1 else ""
    way = " \u2192 ".join(_e(r) for r in summary.route) or "\u2014"
    return ['<section class="ending">', "<h2>The end</h2>", f'<p class="end-title">{_e(summary.title)}</p>',
            f'<p class="way">Your way: {way} ({summary.choices} choice{plural})</p>',
            "<h3>The final state</h3>", *_status(summary.status), "</section>"]


def transcript_html(told: StorySoFar) -> str:
    """The story so far as a standalone, valid HTML5 page."""
    body = ["<header>", f"<h1>{_e(told.title)}</h1>"]
    body += [f'<p class="about">{_e(para)}</p>' for para in paragraphs(told.about)]
    body.append("</header>")
    chapter: str | None = None
    for passage in told.passages:
        if passage.chapter != chapter:
            if chapter is not None:
                body.append("</section>")
            chapter = passage.chapter
            body += ['<section class="chapter">', f"<h2>{_e(chapter)}</h2>"]
        body += _passage(passage)
    if chapter is not None:
        body.append("</section>")
    if told.ending is not None:
        body += _ending(told.ending)
    head = ['<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(told.title)}: the story so far</title>", f"<style>{_STYLE}</style>"]
    return "\n".join(["<!DOCTYPE html>", '<html lang="en">', "<head>", *head, "</head>", "<body>", "<main>",
                      *body, "</main>", "</body>", "</html>", ""])
