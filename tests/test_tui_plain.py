"""The plain front end: plain text only, one choice per line, a line reader that ends at EOF."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from tests.conftest import PACKS, ROOT
from zone.engine import Engine
from zone.pack import load_pack
from zone.run import Run
from zone.tui.plain import WIDTH, LineReader, PlainView, format_frame, journal_text
from zone.tui.view import EndingSummary, MenuItem, menu_of, status_of

WALK = PACKS / "tui" / "walk"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_pack(WALK))


def test_format_frame_heading_narration_and_one_choice_per_line(engine: Engine) -> None:
    state = engine.start(1)
    state = engine.choose(state, 1)  # woke her: "go back up" is disabled on the stairs
    text = format_frame(engine.frame(state))
    lines = text.splitlines()
    assert lines[0] == "== Before dawn: The stairs =="
    assert "  1. Take the bag of nuts from the hook." in lines
    assert ("  3. (unavailable) Go back up to the kitchen. -- She is awake now; there is\n"
            "     nothing to go back for.\n") in text
    assert all(len(line) <= WIDTH for line in lines)


def test_a_view_without_a_width_writes_a_paragraph_and_a_choice_to_a_line(engine: Engine) -> None:
    state = engine.choose(engine.start(1), 1)  # the stairs, with a disabled choice and its reason
    out = io.StringIO()
    view = PlainView(out, engine.story, None)
    view.frame(engine.frame(state))
    view.menu(menu_of(engine.frame(state)))
    lines = out.getvalue().splitlines()
    disabled = "  3. (unavailable) Go back up to the kitchen. -- She is awake now; there is nothing to go back for."
    assert disabled in lines
    narrow = io.StringIO()
    PlainView(narrow, engine.story, 30).menu(menu_of(engine.frame(state)))
    assert max(len(line) for line in narrow.getvalue().splitlines()) <= 30


def test_plain_text_has_no_escape_codes_and_no_box_drawing(engine: Engine) -> None:
    frame = engine.frame(engine.start(1))
    evil = frame._replace(text="Red \x1b[31malert\x1b[0m and a bell\x07 [bold]x[/]\n\nSecond\tparagraph.")
    text = format_frame(evil)
    assert "\x1b" not in text and "\x07" not in text
    assert "Red [31malert[0m and a bell [bold]x[/]" in text and "Second paragraph." in text
    out = io.StringIO()
    view = PlainView(out, engine.story)
    view.frame(evil)
    view.status(status_of(engine.story, engine.start(1)))
    view.ending(EndingSummary("Home", ("A", "B"), 3, status_of(engine.story, engine.start(1)), 1, 4, True))
    view.menu([MenuItem("Yes"), MenuItem("No", False, "")])
    assert "\x1b" not in out.getvalue()
    assert not set(out.getvalue()) & set("─━│┌┐└┘╭╮╰╯›→")


def test_status_reads_well_aloud(engine: Engine) -> None:
    out = io.StringIO()
    PlainView(out, engine.story).status(status_of(engine.story, engine.start(1)))
    text = out.getvalue()
    assert "The Writer\n  Trust: 4 of 10\n  Bottle: yes\n" in text
    assert "Carried\n  Nuts: 3\n" in text


def test_ending_summary_in_plain_text(engine: Engine) -> None:
    out = io.StringIO()
    summary = EndingSummary("Into the Room", ("Before dawn", "The road"), 13,
                            status_of(engine.story, engine.start(1)), 2, 4, False)
    PlainView(out, engine.story).ending(summary)
    text = out.getvalue()
    assert "*** The end: Into the Room ***" in text
    assert "Your way: Before dawn, The road (13 choices)" in text
    assert "Endings found: 2 of 4\n" in text


def test_journal_text_tells_every_passage_and_choice(engine: Engine) -> None:
    run = Run.new(engine, 1)
    run.choose(0)
    run.choose(1)
    text = journal_text(engine.story, run.journal())
    assert text.index("You wake before") < text.index("You chose: Dress quietly.") < text.index("stairwell")
    assert "You chose: Leave the bag where it hangs." in text
    assert text.rstrip().endswith("The bar's window is the only light.")


def test_line_reader_echoes_piped_lines_and_raises_eoferror_at_the_end() -> None:
    out = io.StringIO()
    reader = LineReader(io.StringIO("2\n:status\r\n"), out)
    assert reader.read([]) == "2"
    assert reader.read([]) == ":status"
    with pytest.raises(EOFError):
        reader.read([])
    assert out.getvalue() == "> 2\n> :status\n> \n"


def test_plain_mode_imports_neither_rich_nor_prompt_toolkit() -> None:
    code = ("import sys; from zone.cli import main; from zone.environment import Environment; import io;"
            f"main(['play', {str(WALK)!r}, '--plain', '--saves', sys.argv[1]],"
            " Environment(stdin=io.StringIO('1\\n'), stdout=io.StringIO(), stderr=io.StringIO()));"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'prompt_toolkit')))")
    import tempfile

    with tempfile.TemporaryDirectory() as saves:
        proc = subprocess.run([sys.executable, "-c", code, saves], capture_output=True, text=True, cwd=ROOT,
                              timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
