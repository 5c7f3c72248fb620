"""The story so far as files: the .txt and .html transcripts, with the notes, the ending and the final state."""

from __future__ import annotations

import re
from typing import Any

import html5lib
import pytest

from tests.conftest import PACKS
from zone.engine import Engine
from zone.pack import load_pack
from zone.run import Run
from zone.tui.plain import transcript_text
from zone.tui.transcripts import story_so_far, transcript_html

WALK = PACKS / "tui" / "walk"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_pack(WALK))


def ended(engine: Engine) -> Run:
    """A whole run to 'Into the Room': woke her, took the nuts, bought the Writer a drink, ..."""
    run = Run.new(engine, 3)
    for index in (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0):
        run.choose(index)
    assert run.frame().ending is not None
    return run


def parsed(page: str) -> Any:
    """The page through html5lib's strict parser, which raises at the first HTML5 parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def test_the_page_is_valid_html5_with_a_title_a_language_and_a_viewport(engine: Engine) -> None:
    page = transcript_html(story_so_far(ended(engine)))
    tree = parsed(page)
    assert tree.get("lang") == "en"
    assert tree.findtext("head/title") == "The Long Way Round: the story so far"
    viewport = tree.find("head/meta[@name='viewport']")
    assert viewport is not None and "width=device-width" in viewport.get("content")


def test_the_page_is_readable_on_a_phone_and_printable(engine: Engine) -> None:
    page = transcript_html(story_so_far(ended(engine)))
    assert "<pre" not in page, "prose in <pre> scrolls sideways on a phone"
    assert "max-width" in page and "@media print" in page
    assert not re.search(r"(?<![-\w])(min-)?width:\s*\d{3,}px", page), "no fixed width wider than a phone"


def test_chapters_and_scenes_are_headings_and_narration_is_paragraphs(engine: Engine) -> None:
    tree = parsed(transcript_html(story_so_far(ended(engine))))
    chapters = [h.text for h in tree.iter("h2")]
    assert chapters == ["Before dawn", "The road", "Inside", "The end of the way", "The end"]
    scenes = [h.text for h in tree.iter("h3")]
    assert scenes[:3] == ["The kitchen, before the alarm", "The stairs", "The street"]
    paragraphs = [p.text for p in tree.iter("p")]
    assert "The water in the glass trembles when a train goes by." in paragraphs


def test_the_choice_taken_disabled_choices_and_notes_are_marked(engine: Engine) -> None:
    page = transcript_html(story_so_far(ended(engine)))
    assert '<li class="taken">Wake her and say goodbye. <span class="chosen">(your choice)</span></li>' in page
    assert ('<li class="disabled">Go back up to the kitchen. <span class="reason">She is awake now; there is '
            "nothing to go back for.</span></li>") in page
    assert '<ul class="notes">\n<li>The Writer: Trust rises to 5.</li>' in page  # bought him a drink
    assert "[bold] at the top of a page" in page  # author text literal, and escaped


def test_the_ending_and_the_final_state_close_the_page(engine: Engine) -> None:
    tree = parsed(transcript_html(story_so_far(ended(engine))))
    ending = tree.find(".//section[@class='ending']")
    assert ending is not None
    assert ending.findtext("p[@class='end-title']") == "Into the Room"
    assert [h.text for h in ending.iter("h4")] == ["The Stalker", "The Writer", "The Professor", "Carried"]
    state = {dt.text: "".join(dd.itertext()).strip() for dt, dd in zip(ending.iter("dt"), ending.iter("dd"),
                                                                      strict=True)}
    assert state["Faith"] == "7 / 10" and state["Bottle"] == "yes" and state["Nuts"] == "6 / 12"


def test_a_run_not_ended_has_no_ending_section(engine: Engine) -> None:
    run = Run.new(engine, 3)
    run.choose(0)
    page = transcript_html(story_so_far(run))
    parsed(page)
    assert 'class="ending"' not in page and "The stairwell smells" in page


def test_hostile_text_is_escaped_and_cleaned() -> None:
    from zone.tui.transcripts import Passage, StorySoFar
    from zone.tui.view import MenuItem

    told = StorySoFar("<script>alert(1)</script>", "A & B\x1b[6n", (
        Passage("Ch <1>", "T \"q\"", "x </p><p> y\u202e", (MenuItem("a<b"), MenuItem("c", False, "<i>no</i>")), 0,
                ("note & <b>",)),), None)
    page = transcript_html(told)
    parsed(page)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page
    assert "&lt;i&gt;no&lt;/i&gt;" in page and "note &amp; &lt;b&gt;" in page


def test_the_text_transcript_tells_the_notes_the_ending_and_the_final_state(engine: Engine) -> None:
    text = transcript_text(story_so_far(ended(engine)))
    assert text.startswith("The Long Way Round\n\nThe story so far\n")
    assert "You chose: Buy the Writer a drink.\nThe Writer: Trust rises to 5.\n" in text
    tail = text.split("*** The end: Into the Room ***")[1]
    assert "Your way: Before dawn, The road, Inside, The end of the way (13 choices)" in tail
    assert "The Stalker\n  Faith: 7 of 10" in tail and "Carried\n  Nuts: 6" in tail


def test_notes_off_leaves_them_out(engine: Engine) -> None:
    told = story_so_far(ended(engine), notes=False)
    assert not any(p.notes for p in told.passages)
    assert "rises to" not in transcript_text(told)
