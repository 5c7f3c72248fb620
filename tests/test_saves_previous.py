"""A new run never destroys the last one: the autosave's run is kept as 'previous', and goes back on request.

Store level first (what moves where, and when nothing moves), then plain mode as a player meets it,
then the real program in a pseudo-terminal, where the title screen's mark starts on Continue.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PACKS, run_main
from tests.test_e2e_play import HINT, Player
from tests.test_saves_slots import WALK, story_of, walk_run
from zone.engine import Engine
from zone.errors import SaveError
from zone.run import Run
from zone.saves.slots import PREVIOUS, SaveStore

TUI_WALK = PACKS / "tui" / "walk"


def store_at(folder: Path) -> SaveStore:
    store = SaveStore(folder, story_of(WALK))
    store.durable = False
    return store


def test_a_new_run_moves_the_autosaved_one_to_previous_with_nothing_lost(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    old = walk_run(choices=(1, 0, 0, 1, 0))
    store.autosave(old)
    old.choose(0)
    store.autosave(old)  # the autosave at turn 6, its backup at turn 5: one run
    new = Run.new(Engine(story_of(WALK)), 7)  # the same seed, but another run
    new.choose(1)
    kept = store.autosave(new)
    assert kept == "Your run at turn 6 (The walk, The gate) is kept as 'previous'; ':load previous' goes back to it."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autosave-saves_walk.json", "previous-saves_walk.json"]
    back, message = store.load(PREVIOUS, Engine(story_of(WALK)))
    assert message is None and back.state == old.state and back.choices == old.choices
    assert store.load("autosave", Engine(story_of(WALK)))[0].state == new.state


def test_the_same_run_saved_again_stays_in_the_autosave(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    run = walk_run(choices=(1, 0))
    store.autosave(run)
    resumed, _ = store_at(tmp_path).load("autosave", Engine(story_of(WALK)))  # another session
    resumed.choose(0)
    assert store_at(tmp_path).autosave(resumed) is None
    assert not store.path(PREVIOUS).exists()


def test_playing_the_previous_run_again_swaps_the_two(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    first, second = walk_run(choices=(1, 0, 0)), walk_run(seed=8, choices=(1,))
    store.autosave(first)
    store.autosave(second)  # first -> previous
    again, _ = store.load(PREVIOUS, Engine(story_of(WALK)))
    again.choose(1)
    kept = store.autosave(again)  # second -> previous, first (one choice on) -> autosave
    assert kept is not None and kept.startswith("Your run at turn 1 (")
    engine = Engine(story_of(WALK))
    assert store.load(PREVIOUS, engine)[0].state == second.state
    assert store.load("autosave", engine)[0].state == again.state
    assert store.load(PREVIOUS, engine)[0].state == second.state  # and the older 'previous' is its backup
    assert (tmp_path / "previous-saves_walk.json.bak").exists()


def test_a_save_from_before_runs_had_names_is_still_told_apart_by_its_seed(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.autosave(walk_run(choices=(1, 0)))
    path = store.path("autosave")
    doc = json.loads(path.read_bytes())
    del doc["header"]["run"]
    from zone.saves.savefile import checksum

    header = {k: v for k, v in doc["header"].items() if k != "checksum"}
    doc["header"]["checksum"] = checksum(header, doc["body"])
    path.write_text(json.dumps(doc))
    resumed, _ = store_at(tmp_path).load("autosave", Engine(story_of(WALK)))
    resumed.choose(0)
    assert store_at(tmp_path).autosave(resumed) is None  # the same seed and start: the same run
    assert store_at(tmp_path).autosave(walk_run(seed=9, choices=(1,))) is not None  # another seed: kept aside


def test_when_the_old_run_cannot_be_moved_the_autosave_is_not_overwritten(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_at(tmp_path)
    store.autosave(walk_run())
    before = store.path("autosave").read_bytes()
    real_replace = os.replace

    def refuse(src: Any, dst: Any) -> None:
        if "previous" in str(dst):
            raise PermissionError(errno.EACCES, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SaveError) as caught:
        store.autosave(walk_run(seed=9, choices=(1,)))
    assert str(caught.value) == ("could not keep the run in slot 'autosave' as 'previous': permission denied; it "
                                 "stays in the autosave, and this run is not saved there")
    assert store.path("autosave").read_bytes() == before


# -- plain mode, as a player meets it -------------------------------------------------------------

def plain(tmp_path: Path, *args: str, stdin: str) -> tuple[int, str, str]:
    result = run_main("play", str(TUI_WALK), "--saves", str(tmp_path / "saves"), *args, stdin=stdin)
    return result.status, result.out, result.err


def test_plain_mode_says_where_the_last_run_went_and_it_can_be_loaded(tmp_path: Path) -> None:
    status, out, _ = plain(tmp_path, "--seed", "3", stdin="1\n1\n")  # two choices: turn 2, the street
    assert status == 0
    status, out, _ = plain(tmp_path, "--seed", "3", stdin="2\n:load\n:load previous\n1\n")  # a new run
    assert status == 0
    assert ("Your run at turn 2 (Before dawn, The street) is kept as 'previous'; ':load previous' goes back "
            "to it.") in out
    listed = out.split("Type ':load NAME'")[0]
    assert "previous" in listed and "autosave" in listed  # listed under the names they are loaded by
    assert "Loaded 'previous'." in out.split("> :load previous\n")[1]
    assert "== Before dawn: The street ==" in out.split("> :load previous\n")[1]
    # going on with the old run keeps the new one in its turn
    assert "Your run at turn 1 (Before dawn, The stairs) is kept as 'previous'" in out.split("> :load previous\n")[1]
    listing = run_main("saves", "--saves", str(tmp_path / "saves")).out
    assert "previous-tui_walk" in listing and "autosave-tui_walk" in listing


def test_a_new_run_left_at_once_leaves_the_last_run_to_continue(tmp_path: Path) -> None:
    plain(tmp_path, "--seed", "3", stdin="1\n1\n")
    status, out, _ = plain(tmp_path, stdin="")  # a new run, quit before any choice
    assert status == 0 and "is kept as 'previous'" in out
    status, out, _ = plain(tmp_path, "--continue", stdin="")
    assert status == 0 and "Going on where you left off." in out and "== Before dawn: The street ==" in out


# -- the real program in a terminal ---------------------------------------------------------------

def session(player: Player, *steps: tuple[str, str]) -> int:
    """Answer each (keys, text that follows) at the prompt (which is ready), then quit; the exit status."""
    for keys, then in steps:
        player.answer(keys, then)
        player.expect(HINT)
    player.child.send(":quit\r")
    return player.finish()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_in_a_terminal_the_mark_starts_on_continue_and_a_new_run_keeps_the_old_one(tmp_path: Path) -> None:
    first = Player(tmp_path, "--seed", "3")
    first.expect(HINT)
    # nothing saved yet: the mark is on New run, so Enter starts one
    assert session(first, ("\r", "You wake before the alarm"), ("2\r", "The stairwell smells"),
                   ("1\r", "Rain on the cobbles")) == 0
    assert "choose Continue" not in first.text  # no ZONE_PROG here

    second = Player(tmp_path, "--seed", "3")
    second.expect(HINT)
    assert "› 1. Continue the last run" in second.text  # a run exists: the mark is on Continue
    assert session(second, ("2\r", "is kept as 'previous'"), ("1\r", "The stairwell smells")) == 0  # New run
    assert "Your run at turn 2 (Before dawn, The street) is kept as 'previous'" in second.text

    third = Player(tmp_path, ZONE_PROG="make play")
    third.expect(HINT)
    assert session(third, ("3\r", "previous: Before dawn · The street, turn 2"),  # Load a saved run: newest first
                   ("2\r", "Rain on the cobbles"), ("1\r", "The Writer is already drinking")) == 0
    assert "Loaded 'previous'." in third.text
    assert "'make play' goes on from here: choose Continue." in third.text


def test_a_damaged_autosave_is_named_as_players_know_it_and_its_backup_goes_on(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    run_main("play", "--plain", "--saves", str(saves), stdin="1\n2\n:quit\n")
    autosave = next(saves.glob("autosave-*.json"))
    autosave.write_bytes(autosave.read_bytes()[:-40])
    resumed = run_main("play", "--plain", "--saves", str(saves), "--continue", stdin=":quit\n")
    assert resumed.status == 0, resumed.err
    assert "The save in slot 'autosave' was damaged, so it was moved to" in resumed.out
    assert list((saves / "corrupt").iterdir())  # kept, not deleted
