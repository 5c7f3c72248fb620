"""Save slots: save and resume exactly (RNG and undo included), slot names, the autosave, listing and deleting."""

from __future__ import annotations

import functools
import json
import os
import random
from pathlib import Path

import pytest

from tests.conftest import PACKS
from zone.engine import Engine
from zone.errors import SaveError
from zone.model import Story
from zone.pack import load_pack
from zone.run import Run
from zone.saves.savefile import FORMAT_VERSION
from zone.saves.slots import AUTOSAVE, SaveStore, check_slot_name

WALK = PACKS / "saves" / "walk"
MAZE = PACKS / "saves" / "maze"


@functools.cache
def story_of(pack: Path) -> Story:
    return load_pack(pack)


def walk_run(seed: int = 7, choices: tuple[int, ...] = (1, 0, 0, 1, 0, 0)) -> Run:
    run = Run.new(Engine(story_of(WALK)), seed)
    for index in choices:
        run.choose(index)
    return run


def random_run(pack: Path, turns: int, seed: int = 5) -> Run:
    """A run of `turns` random (enabled) choices."""
    run = Run.new(Engine(story_of(pack)), seed)
    rng = random.Random(seed)
    for _ in range(turns):
        run.choose(rng.choice([c.index for c in run.frame().choices if c.enabled]))
    return run


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# -- save and resume -----------------------------------------------------------------------------

def test_a_resumed_run_is_the_same_run(tmp_path: Path) -> None:
    run = walk_run()
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", run)
    resumed, message = store.load("mine", Engine(story_of(WALK)))
    assert message is None
    assert resumed.state == run.state
    assert resumed.seed == run.seed and resumed.choices == run.choices
    assert resumed.undo_stack == run.undo_stack
    assert resumed.journal() == run.journal()
    assert resumed.frame().text == run.frame().text


def test_the_same_seed_gives_the_same_future_after_a_resume(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    run = walk_run()
    store.save("mine", run)
    resumed, _ = store.load("mine", Engine(story_of(WALK)))
    for _ in range(40):  # the well's random outcome is rolled from the saved seed and visits
        run.choose(0)
        resumed.choose(0)
        assert resumed.state == run.state
    assert run.state.visits["well"] > 10


def test_undo_goes_back_at_least_100_steps_after_a_resume(tmp_path: Path) -> None:
    run = random_run(MAZE, 300)
    store = SaveStore(tmp_path, story_of(MAZE))
    store.save("long", run)
    resumed, _ = store.load("long", Engine(story_of(MAZE)))
    expected = list(run.undo_stack)
    for step in range(100):
        assert resumed.undo(), f"undo {step + 1} failed"
        assert resumed.state == expected.pop()
    assert resumed.state.turn == 200
    assert len(resumed.choices) == 200


def test_a_save_after_1000_turns_stays_under_64_kb(tmp_path: Path) -> None:
    run = random_run(MAZE, 1000)
    assert len(run.state.visits) >= 30 and len(run.undo_stack) >= 100
    store = SaveStore(tmp_path, story_of(MAZE))
    store.save("long", run)
    assert store.path("long").stat().st_size < 64 * 1024
    resumed, _ = store.load("long", Engine(story_of(MAZE)))
    assert resumed.undo_stack == run.undo_stack and resumed.state == run.state


def test_saving_again_keeps_the_previous_save_as_bak(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    run = walk_run()
    store.save("mine", run)
    first = store.path("mine").read_bytes()
    run.choose(0)
    store.save("mine", run)
    assert (tmp_path / "mine.json.bak").read_bytes() == first
    assert files_under(tmp_path) == {"mine.json", "mine.json.bak"}


def test_the_file_is_utf8_json_with_a_versioned_header(tmp_path: Path) -> None:
    story = story_of(WALK)
    store = SaveStore(tmp_path, story)
    store.save("mine", walk_run())
    doc = json.loads(store.path("mine").read_text(encoding="utf-8"))
    header = doc["header"]
    assert header["version"] == FORMAT_VERSION
    assert (header["pack"], header["pack_version"], header["pack_hash"]) == (story.id, story.version,
                                                                             story.content_hash)
    assert header["checksum"].startswith("sha256:")
    assert (header["title"], header["turn"]) == ("The gate", 6)


# -- slot names ----------------------------------------------------------------------------------

HOSTILE = ["../x", "..\\x", "/etc/passwd", "C:\\x", "CON", "con", "nul", "com1", "LPT9", "a\0b", "\0", "x" * 300,
           ".", "..", "", " ", "a b", "a/b", "a.json", "ä", "~", "$HOME", "x" * 33, "a\n", "-\u0338"]


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_hostile_slot_names_are_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    saves = tmp_path / "saves"
    store = SaveStore(saves, story_of(WALK))
    store.save("kept", walk_run())
    before = files_under(tmp_path)
    with pytest.raises(SaveError) as caught:
        store.save(name, walk_run())
    assert "cannot be a slot name" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(SaveError):
        store.load(name, Engine(story_of(WALK)))
    with pytest.raises(SaveError):
        store.delete(name)
    assert files_under(tmp_path) == before
    assert not Path("/etc/passwd.json").exists() and not (tmp_path / "x.json").exists()


def test_slot_names_are_case_folded_and_may_be_32_characters(tmp_path: Path) -> None:
    assert check_slot_name("My-Slot_2") == "my-slot_2"
    assert check_slot_name("a" * 32) == "a" * 32
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("My-Slot_2", walk_run())
    assert (tmp_path / "my-slot_2.json").is_file()
    run, _ = store.load("MY-SLOT_2", Engine(story_of(WALK)))
    assert run.state.turn == 6


# -- the autosave, listing, latest, delete -------------------------------------------------------

def test_each_pack_has_its_own_autosave(tmp_path: Path) -> None:
    walk = SaveStore(tmp_path, story_of(WALK))
    maze = SaveStore(tmp_path, story_of(MAZE))
    walk.autosave(walk_run())
    maze.autosave(random_run(MAZE, 3))
    assert walk.autosave_slot != maze.autosave_slot
    run, _ = walk.load(AUTOSAVE, Engine(story_of(WALK)))
    assert run.state.turn == 6
    run, _ = maze.load(AUTOSAVE, Engine(story_of(MAZE)))
    assert run.state.turn == 3


def test_latest_is_the_newest_save_of_this_pack(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    assert store.latest() is None
    store.save("first", walk_run())
    store.autosave(walk_run(choices=(0,)))
    SaveStore(tmp_path, story_of(MAZE)).save("other", random_run(MAZE, 2))
    assert store.latest() == store.autosave_slot
    run, _ = store.load(store.latest() or "", Engine(story_of(WALK)))
    assert run.state.turn == 1


def test_slots_list_pack_chapter_scene_turn_and_time(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run())
    (info,) = store.slots()
    assert (info.slot, info.pack, info.chapter, info.scene_title, info.turn) == ("mine", "saves_walk", "The walk",
                                                                                "The gate", 6)
    assert info.saved_at > 0 and info.note == ""


def test_delete_removes_the_slot_and_its_backup(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run())
    store.save("mine", walk_run())
    store.delete("MINE")
    assert files_under(tmp_path) == set()
    with pytest.raises(SaveError, match="there is no save in slot 'mine'"):
        store.delete("mine")
    with pytest.raises(SaveError, match="there is no save in slot 'mine'"):
        store.load("mine", Engine(story_of(WALK)))


def test_a_save_of_another_pack_is_refused_plainly(tmp_path: Path) -> None:
    SaveStore(tmp_path, story_of(MAZE)).save("other", random_run(MAZE, 2))
    with pytest.raises(SaveError, match="is for the pack 'saves_maze', not for 'saves_walk'"):
        SaveStore(tmp_path, story_of(WALK)).load("other", Engine(story_of(WALK)))


def test_stale_temporary_files_are_removed_when_a_store_opens(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run())
    dead = tmp_path / ".mine.json.999999999.0123abcd.tmp"  # no process has this id
    dead.write_text("half a save")
    old = tmp_path / f".mine.json.{os.getpid()}.89abcdef.tmp"
    old.write_text("an old half save")
    os.utime(old, (1, 1))
    SaveStore(tmp_path, story_of(WALK))
    assert files_under(tmp_path) == {"mine.json"}


def test_a_missing_save_with_a_backup_loads_the_backup_and_says_so(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run(choices=(0,)))
    store.save("mine", walk_run())
    store.path("mine").unlink()
    run, message = store.load("mine", Engine(story_of(WALK)))
    assert run.state.turn == 1
    assert message == "The save in slot 'mine' was missing, so its backup was loaded."
    assert store.path("mine").is_file()  # the slot is whole again


def test_a_save_of_a_newer_format_is_refused_and_left_alone(tmp_path: Path) -> None:
    from zone.saves.savefile import checksum

    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run())
    doc = json.loads(store.path("mine").read_text(encoding="utf-8"))
    doc["header"]["version"] = FORMAT_VERSION + 1
    del doc["header"]["checksum"]
    doc["header"]["checksum"] = checksum(doc["header"], doc["body"])
    newer = json.dumps(doc).encode()
    store.path("mine").write_bytes(newer)
    with pytest.raises(SaveError) as caught:
        store.load("mine", Engine(story_of(WALK)))
    assert str(caught.value) == (f"the save in slot 'mine' cannot be loaded: it was made by a newer version of Zone "
                                 f"(save format {FORMAT_VERSION + 1}; this one reads formats 1 to {FORMAT_VERSION})")
    assert store.path("mine").read_bytes() == newer
    assert store.slots()[0].note == "made by a newer version of Zone"
