"""The real program: save, quit and resume in a pseudo-terminal; `zone saves` lists and deletes slots."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT, run_main
from tests.test_saves_slots import MAZE, WALK, files_under, random_run, story_of, walk_run
from zone.engine import Engine
from zone.saves.slots import SaveStore

PROMPT = "\r\n> "


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TERM": "xterm", "COLUMNS": "100", "LINES": "40"}
    child = pexpect.spawn(sys.executable, ["-m", "zone", *args], cwd=str(ROOT), env=env, encoding="utf-8",
                          timeout=20, dimensions=(40, 100))
    return child


def answer(child: pexpect.spawn, line: str) -> str:
    """Type a line and return what the game printed before its next prompt."""
    child.sendline(line)
    child.expect_exact(PROMPT)
    return str(child.before).replace("\r\n", "\n")


def scene_of(screen: str) -> str:
    return [line for line in screen.splitlines() if line.startswith("== ")][-1]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_save_quit_and_resume_in_a_terminal_gives_the_same_run_and_the_same_future(tmp_path: Path) -> None:
    saves = str(tmp_path / "saves")
    game = spawn("play", str(WALK), "--plain", "--seed", "13", "--saves", saves)
    game.expect_exact(PROMPT)
    for number in ("2", "1", "1"):
        screen = answer(game, number)
    here = scene_of(screen)
    status = answer(game, ":status")
    journal = answer(game, ":journal")
    assert "Faith:" in status and journal.count("You chose:") == 3
    assert "Saved in slot 'mine'" in answer(game, ":save Mine")
    game.sendline(":quit")
    game.expect(pexpect.EOF)
    game.close()
    assert game.exitstatus == 0
    assert (tmp_path / "saves" / "mine.json").is_file()

    resumed = spawn("play", str(WALK), "--plain", "--continue", "--saves", saves)
    resumed.expect_exact(PROMPT)
    assert scene_of(str(resumed.before).replace("\r\n", "\n")) == here
    assert answer(resumed, ":status") == status
    assert answer(resumed, ":journal") == journal
    future = [scene_of(answer(resumed, n)) for n in ("1", "1", "2", "1", "1")]
    assert "Loaded 'mine'" in answer(resumed, ":load mine")
    resumed.sendline(":quit")
    resumed.expect(pexpect.EOF)

    straight = spawn("play", str(WALK), "--plain", "--seed", "13", "--saves", str(tmp_path / "other"))
    straight.expect_exact(PROMPT)
    for number in ("2", "1", "1"):
        answer(straight, number)
    assert [scene_of(answer(straight, n)) for n in ("1", "1", "2", "1", "1")] == future
    straight.sendline(":quit")
    straight.expect(pexpect.EOF)


# -- zone saves ---------------------------------------------------------------------------------

def test_zone_saves_lists_pack_chapter_scene_turn_and_time(tmp_path: Path) -> None:
    SaveStore(tmp_path, story_of(WALK)).save("mine", walk_run())
    SaveStore(tmp_path, story_of(MAZE)).autosave(random_run(MAZE, 12))
    result = run_main("saves", "--saves", str(tmp_path))
    assert result.status == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"Saves in {tmp_path}:"
    assert lines[1].split() == ["SLOT", "PACK", "CHAPTER", "SCENE", "TURN", "SAVED"]
    assert lines[2].startswith("autosave-saves_maze  saves_maze  Rooms")  # the newest first
    mine = lines[3].split()
    assert mine[:7] == ["mine", "saves_walk", "The", "walk", "The", "gate", "6"]
    assert len(lines) == 4


def test_zone_saves_marks_a_damaged_slot_and_counts_quarantined_files(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run())
    store.save("mine", walk_run())
    store.path("mine").write_text("{")
    out = run_main("saves", "--saves", str(tmp_path)).out
    assert "(damaged; its backup will be loaded)" in out
    store.load("mine", Engine(story_of(WALK)))
    out = run_main("saves", "--saves", str(tmp_path)).out
    assert "damaged" not in out.splitlines()[2]
    assert out.splitlines()[-1] == f"1 damaged save file kept in {tmp_path / 'corrupt'}."


def test_zone_saves_in_an_empty_or_missing_folder(tmp_path: Path) -> None:
    result = run_main("saves", "--saves", str(tmp_path / "none"))
    assert (result.status, result.out) == (0, f"No saves in {tmp_path / 'none'}.\n")


def test_zone_saves_uses_zone_saves_from_the_environment(tmp_path: Path) -> None:
    SaveStore(tmp_path, story_of(WALK)).save("mine", walk_run())
    result = run_main("saves", env={"ZONE_SAVES": str(tmp_path)})
    assert "mine" in result.out


def test_zone_saves_delete_removes_a_slot(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run())
    store.save("mine", walk_run())
    result = run_main("saves", "delete", "MINE", "--saves", str(tmp_path))
    assert (result.status, result.out) == (0, "Deleted slot 'mine'.\n")
    assert files_under(tmp_path) == set()
    again = run_main("saves", "delete", "mine", "--saves", str(tmp_path))
    assert (again.status, again.err) == (1, "zone: there is no save in slot 'mine'\n")


@pytest.mark.parametrize("name", ["../x", "..\\x", "/etc/passwd", "C:\\x", "CON", "x" * 300, ".", ".."])
def test_zone_saves_delete_refuses_hostile_names(tmp_path: Path, name: str) -> None:
    saves = tmp_path / "saves"
    SaveStore(saves, story_of(WALK)).save("x", walk_run())
    (tmp_path / "x.json").write_text("not a save, and not in the saves folder")
    before = files_under(tmp_path)
    result = run_main("saves", "delete", name, "--saves", str(saves))
    assert result.status == 1 and "cannot be a slot name" in result.err and result.err.count("\n") == 1
    assert files_under(tmp_path) == before


def test_zone_saves_delete_needs_a_name(tmp_path: Path) -> None:
    result = run_main("saves", "delete", "--saves", str(tmp_path))
    assert (result.status, result.err) == (1, "zone: say which slot to delete: zone saves delete NAME\n")


@pytest.mark.skipif(sys.platform == "win32", reason="signals and pseudo-terminals are POSIX")
@pytest.mark.parametrize("leave", ["SIGTERM", "SIGHUP", "EOF", "Ctrl-C twice"])
def test_leaving_in_any_way_autosaves_the_run(tmp_path: Path, leave: str) -> None:
    saves = tmp_path / "saves"
    game = spawn("play", str(WALK), "--plain", "--seed", "11", "--saves", str(saves))
    game.expect_exact(PROMPT)
    for number in ("2", "1", "1", "1"):
        answer(game, number)
    if leave == "EOF":
        game.sendeof()
    elif leave == "Ctrl-C twice":
        game.sendintr()
        game.expect("again")
        game.sendintr()
    else:
        game.kill(getattr(signal, leave))
    game.expect(pexpect.EOF)
    game.close()
    store = SaveStore(saves, story_of(WALK))
    run, message = store.load(store.latest() or "", Engine(story_of(WALK)))
    assert (run.choices, message) == ([1, 0, 0, 0], None)
    assert {p.name for p in saves.iterdir()} == {store.autosave_slot + ".json", store.autosave_slot + ".json.bak"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifos_in_the_saves_folder_are_listed_as_unreadable_and_never_opened(tmp_path: Path) -> None:
    from tests.conftest import run_process

    saves = tmp_path / "saves"
    saves.mkdir()
    os.mkfifo(saves / "x.json")
    os.mkfifo(saves / "autosave-tui_walk.json")
    os.mkfifo(saves / "records.zone.json")
    listing = run_process("saves", "--saves", str(saves), timeout=60)  # the timeout only guards against a hang
    assert listing.returncode == 0, listing.stderr
    line = next(line for line in listing.stdout.splitlines() if line.startswith("x "))
    assert line.endswith("(it cannot be read: it is not a regular file (a FIFO))")
    walk = ROOT / "tests" / "packs" / "tui" / "walk"
    played = run_process("play", str(walk), "--saves", str(saves), stdin="1\n", timeout=60)
    assert played.returncode == 0, played.stderr
    assert "Traceback" not in played.stderr
