"""`zone play --watch`: edits to the pack between turns are picked up, or refused calmly."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from tests.conftest import PACKS, ROOT, run_main
from tests.test_tui_game import Script, Step
from zone.engine import Engine
from zone.errors import StateError
from zone.pack import load_pack
from zone.run import Run
from zone.status import ExitStatus
from zone.tui.game import Game
from zone.tui.plain import PlainView
from zone.tui.watch import WATCHFILES_HINT, LiveWatch, Watcher, carry_run


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PACKS / "tui" / "walk", tmp_path / "walk"))


def edit(path: Path, old: str, new: str) -> None:
    """Change a file and move its modification time on, as an editor would."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_the_watcher_sees_changes_once(pack: Path) -> None:
    watcher = Watcher(pack)
    assert not watcher.changed()
    edit(pack / "a_home.yaml", "Rain on the cobbles.", "Snow on the cobbles.")
    assert watcher.changed()
    assert not watcher.changed()
    (pack / "e_more.yaml").write_text("extra:\n  title: X\n  text: x\n  ending: X\n", encoding="utf-8")
    assert watcher.changed()


def play_watching(pack: Path, saves: Path, *steps: Step) -> tuple[ExitStatus, str]:
    engine = Engine(load_pack(pack))
    out = io.StringIO()
    game = Game(Run.new(engine, 3), saves, PlainView(out, engine.story), Script(*steps), cwd=saves.parent,
                pack=pack)
    return game.play(), out.getvalue()


def test_a_good_edit_is_played_at_once_and_the_run_goes_on(pack: Path, tmp_path: Path) -> None:
    def rewrite() -> str:
        edit(pack / "a_home.yaml", "Rain on the cobbles.", "Snow on the cobbles.")
        return ":help"

    status, out = play_watching(pack, tmp_path / "saves", "1", "1", rewrite, ":status", ":journal", "1")
    assert status == ExitStatus.OK
    assert "Rain on the cobbles." in out
    after = out.split("The pack changed; reloaded, and the run goes on.")[1]
    assert "== Before dawn: The street ==\n\nSnow on the cobbles." in after
    assert "Nuts: 7" in after  # the state carried over
    assert "You chose: Take the bag of nuts from the hook." in after  # and the journal
    assert "You chose: Go into the bar." in after


def test_an_edit_with_errors_is_shown_in_one_line_and_the_old_story_goes_on(pack: Path, tmp_path: Path) -> None:
    def break_it() -> str:
        edit(pack / "b_road.yaml", "goto: table", "goto: tabel")
        return "1"

    status, out = play_watching(pack, tmp_path / "saves", "1", break_it, "1", "1")
    assert status == ExitStatus.OK
    line = next(line for line in out.splitlines() if line.startswith("The pack changed and has errors"))
    assert line.startswith("The pack changed and has errors; the story goes on as it was: ")
    assert "b_road.yaml" in line and "ZN012" in line and "'tabel'" in line
    assert "== The road: The table ==" in out  # the old story, where "table" still exists
    assert "Traceback" not in out


def test_an_edit_the_run_no_longer_fits_goes_back_to_where_it_fits(pack: Path, tmp_path: Path) -> None:
    """As a save made before the edit would load: back to the latest point of the run that fits the new pack."""
    def remove_stat() -> str:
        edit(pack / "story.yaml", "  took_nuts: You took the bag of nuts\n", "")
        edit(pack / "a_home.yaml", "[nuts += 4, flags.took_nuts = true]", "nuts += 4")
        edit(pack / "a_home.yaml", "if: flags.took_nuts", "if: nuts > 3")
        return "1"

    status, out = play_watching(pack, tmp_path / "saves", "1", "1", remove_stat, "2")
    assert status == ExitStatus.OK
    assert "The pack 'The Long Way Round' has changed: the saved value 'flags.took_nuts' is not declared in " \
           "this pack. The run goes back 2 choices, to 'The stairs' at turn 1, the latest point of it that still " \
           "fits.\n\n== Before dawn: The stairs ==" in out
    after = out.split("the latest point of it that still fits.")[1]
    assert "You chose: Leave the bag where it hangs." in after  # the new pack, played from there
    assert "(unavailable) Walk straight to the road. -- Not without the nuts." in after


def test_carry_run_keeps_choices_undo_and_journal(pack: Path) -> None:
    old = load_pack(pack)
    run = Run.new(Engine(old), 3)
    run.choose(0)
    run.choose(0)
    edit(pack / "a_home.yaml", "Dress quietly.", "Dress in the dark.")
    new = load_pack(pack)
    carried = carry_run(run, new)
    assert carried.engine.story is new and carried.choices == [0, 0]
    assert carried.state == run.state and len(carried.undo_stack) == 2
    assert carried.journal()[0].choice == "Dress quietly."  # what was read stays as it was read
    assert carried.undo() and carried.frame().title == "The stairs"


def test_carry_run_refuses_a_run_whose_scene_is_gone(pack: Path) -> None:
    run = Run.new(Engine(load_pack(pack)), 3)
    run.choose(0)
    edit(pack / "a_home.yaml", "stairs:", "steps:")
    for name in ("a_home.yaml",):
        edit(pack / name, "goto: stairs", "goto: steps")
    with pytest.raises(StateError, match="'stairs' is not in this pack"):
        carry_run(run, load_pack(pack))


def test_watch_is_a_play_option(pack: Path, tmp_path: Path) -> None:
    result = run_main("play", str(pack), "--watch", "--saves", str(tmp_path / "saves"), stdin="1\n")
    assert result.status == 0 and "You chose: Dress quietly." in result.out


def test_an_edit_that_breaks_a_file_a_goto_leads_into_keeps_the_game_running(pack: Path, tmp_path: Path) -> None:
    def break_it() -> str:
        edit(pack / "d_end.yaml", "  text: The door of the Room, and the puddles before it.",
             "  text: [The door of the Room")
        return "1"

    status, out = play_watching(pack, tmp_path / "saves", "1", break_it, "1", "1")
    assert status == ExitStatus.OK
    line = next(line for line in out.splitlines() if line.startswith("The pack changed and has errors"))
    assert line.startswith("The pack changed and has errors; the story goes on as it was: ")
    assert "d_end.yaml:4:10: error ZN004: YAML syntax" in line  # the cause, not what follows from it
    assert re.search(r" \(and \d+ more: 'zone check' lists them\)$", line)
    assert "== The road: The table ==" in out and "Traceback" not in out


# -- while the game waits for an answer (watchfiles) -------------------------------------------------------

def spawn_watching(pack: Path, saves: Path, *extra: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color", "ZONE_CACHE": "off", "PROMPT_TOOLKIT_NO_CPR": "1",
           "COLUMNS": "100", "LINES": "40"}
    return pexpect.spawn(sys.executable, ["-m", "zone", "play", str(pack), "--watch", "--seed", "3", "--from",
                                          "stairs", "--saves", str(saves), *extra],
                         cwd=str(ROOT), env=env, encoding="utf-8", timeout=10, dimensions=(40, 100))


@pytest.mark.parametrize("mode", [[], ["--plain"]], ids=["terminal", "plain"])
def test_an_edit_while_the_game_waits_is_shown_at_once_and_once(pack: Path, tmp_path: Path, mode: list[str]) -> None:
    child = spawn_watching(pack, tmp_path / "saves", *mode)
    child.expect("wet plaster")
    child.expect("Leave the bag where it hangs")  # the choices: the game waits for an answer
    edit(pack / "a_home.yaml", "smells of wet plaster", "smells of fresh paint")
    child.expect("smells of fresh paint", timeout=5)  # redrawn without a key pressed
    child.expect("Leave the bag where it hangs")
    child.sendline(":help")
    child.expect(":save")
    assert "fresh paint" not in (child.before or "")  # the scene was drawn once
    edit(pack / "a_home.yaml", "goto: street\n    - text: Leave", "goto: stret\n    - text: Leave")
    child.expect("The pack changed and has errors", timeout=5)
    child.expect("ZN012")
    child.sendline("2")  # the last good pack goes on
    child.expect("Rain on the cobbles")
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_without_watchfiles_edits_are_picked_up_between_turns_and_the_game_says_so(
        pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # import watchfiles fails

    class Waking(Script):
        def waker(self) -> Callable[[], None]:
            return lambda: None

    engine = Engine(load_pack(pack))
    out = io.StringIO()
    game = Game(Run.new(engine, 3), tmp_path / "saves", PlainView(out, engine.story), Waking("1"),
                cwd=tmp_path, pack=pack)
    assert game.play() == ExitStatus.OK
    assert out.getvalue().splitlines()[0] == WATCHFILES_HINT
    assert out.getvalue().count(WATCHFILES_HINT) == 1


def test_the_live_watch_wakes_for_pack_files_only(pack: Path) -> None:
    woken = threading.Event()
    live = LiveWatch(pack, woken.set)
    assert live.start()
    try:
        (pack / "notes.txt").write_text("not a scene", encoding="utf-8")
        assert not woken.wait(1.0)
        edit(pack / "a_home.yaml", "Rain on the cobbles.", "Snow on the cobbles.")
        assert woken.wait(5.0)
    finally:
        live.stop()
