"""Saves with a good checksum but content no run of Zone could have: refused in one line, kept, never a crash.

Each save here is signed with Zone's own checksum function, so only the check of the body stands between
it and the engine.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_main
from tests.test_saves_slots import WALK, story_of, walk_run
from zone.engine import Engine
from zone.errors import SaveError
from zone.pack import display_name
from zone.saves.body import MAX_EXPANDED, MAX_NAMES, body_of
from zone.saves.savefile import checksum
from zone.saves.slots import CORRUPT, SaveStore

Change = Callable[[dict[str, Any]], None]


def deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def _set(path: str, value: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = body
        for key in parents:
            target = target[key]
        target[last] = value
    return change


def _many_visits(body: dict[str, Any]) -> None:
    body["state"]["visits"] = {f"s{i}": 1 for i in range(MAX_NAMES + 1)}


def _history_that_multiplies(body: dict[str, Any]) -> None:
    """Every state of the undo history repeats thousands of visit counts: visits x patches."""
    body["choices"] = [0] * 128
    body["state"] = {**body["state"], "turn": 128, "visits": {f"s{i}": 1 for i in range(MAX_NAMES)}}
    body["undo"] = [{"turn": t} for t in range(128)]


def _too_many_steps(body: dict[str, Any]) -> None:
    body["choices"] = [0] * 300
    body["state"] = {**body["state"], "turn": 300}
    body["undo"] = [{"turn": t} for t in range(200)]


CASES: list[tuple[str, Change, str]] = [
    ("values-list", _set("state.values", [1, 2]), "state.values must be a mapping"),
    ("visits-list", _set("state.visits", ["gate"]), "state.visits must be a mapping"),
    ("values-deep", _set("state.values", {"nuts": deep(900)}),
     "state.values.nuts must be true, false or a whole number from -1000000000 to 1000000000"),
    ("visits-huge", _set("state.visits", {"gate": int("9" * 4300)}),
     "state.visits.gate must be a whole number from 0 to 7"),
    ("turn-max", _set("state.turn", 2**63 - 1), "state.turn must be a whole number from 0 to 7"),
    ("draws-gone", _set("state.draws", 1), "state has unknown fields: draws"),
    ("stack-long", _set("state.stack", ["gate"] * 65), "state.stack must be a list of at most 64 scene names"),
    ("stack-number", _set("state.stack", [3]), "state.stack must be a list of at most 64 scene names"),
    ("state-missing", _set("state", None), "state must be a mapping"),
    ("scene-number", _set("state.scene", 3), "state.scene must be a scene name"),
    ("seed-text", _set("seed", "7"), "seed must be a whole number from 0 to 9223372036854775807"),
    ("choice-negative", _set("choices", [0, -1]), "choices[1] must be a whole number from 0 to 9223372036854775807"),
    ("choices-too-many", _set("choices", [0] * 100_001), "choices must be a list of at most 100000 choice numbers"),
    ("undo-garbage", _set("undo", ["x"]), "undo[0] must be a patch of the state after it"),
    ("undo-bad-state", _set("undo", [{"visits": ["gate"]}]), "undo[0] must be a patch of the state after it"),
    ("undo-too-long", _too_many_steps, "undo must hold at most 128 steps"),
    ("names-too-many", _many_visits, f"state.visits must hold at most {MAX_NAMES} names"),
    ("undo-multiplies", _history_that_multiplies, f"undo must expand to at most {MAX_EXPANDED} values and visits"),
    ("unknown-field", _set("extra", 1), "body has unknown fields: extra"),
]


def crafted(folder: Path, change: Change, slot: str = "mine") -> Path:
    """A save of the walk pack in `slot` whose body is changed, then signed with Zone's own checksum."""
    store = SaveStore(folder, story_of(WALK))
    store.durable = False
    store.save(slot, walk_run())
    path = store.path(slot)
    doc = json.loads(path.read_bytes())
    body = doc["body"]
    change(body)
    header = {k: v for k, v in doc["header"].items() if k != "checksum"}
    doc["header"]["checksum"] = checksum(header, body)
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, reason", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_crafted_save_is_refused_in_one_line_and_kept(tmp_path: Path, change: Change, reason: str) -> None:
    path = crafted(tmp_path, change)
    data = path.read_bytes()
    store = SaveStore(tmp_path, story_of(WALK))
    (listed,) = store.slots()
    assert listed.note == f"not a usable save: {reason}"
    with pytest.raises(SaveError) as caught:
        store.load("mine", Engine(story_of(WALK)))
    message = str(caught.value)
    assert message == (f"{display_name(path)}: not a usable save: {reason}; it was moved to "
                       f"{display_name(tmp_path / CORRUPT)}; there is no backup")
    assert "\n" not in message
    (kept,) = (tmp_path / CORRUPT).iterdir()  # kept, byte for byte, never deleted
    assert kept.read_bytes() == data


def test_a_crafted_save_with_a_good_backup_loads_the_backup_and_says_why(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run(choices=(1, 0, 0, 1, 0)))
    crafted(tmp_path, _set("state.visits", ["gate"]))  # the backup is now the save at turn 5
    run, message = SaveStore(tmp_path, story_of(WALK)).load("mine", Engine(story_of(WALK)))
    assert run.state.turn == 5
    assert message == (f"{display_name(tmp_path / 'mine.json')}: not a usable save: state.visits must be a "
                       f"mapping; it was moved to {display_name(tmp_path / CORRUPT)} and its backup was loaded.")


def test_zone_play_continue_with_a_crafted_autosave_exits_1_with_one_line(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    pack = tmp_path / "walk"
    shutil.copytree(WALK, pack)
    crafted(saves, _set("state.visits", ["gate"]), slot="autosave")
    result = run_main("play", str(pack), "--saves", str(saves), "--continue")
    assert result.status == 1
    assert result.err == (f"zone: {display_name(saves / 'autosave-saves_walk.json')}: not a usable save: "
                          f"state.visits must be a mapping; it was moved to {display_name(saves / CORRUPT)}; "
                          "there is no backup\n")
    assert len(list((saves / CORRUPT).iterdir())) == 1


def test_a_new_run_beside_a_crafted_autosave_says_so_and_keeps_it(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    crafted(saves, _set("state.values", [1]), slot="autosave")
    result = run_main("play", str(WALK), "--saves", str(saves), stdin="1\n")
    assert result.status == 0, result.err
    assert (f"{display_name(saves / 'autosave-saves_walk.json')}: not a usable save: state.values must be a "
            f"mapping; it was moved to {display_name(saves / CORRUPT)}.") in result.out
    assert len(list((saves / CORRUPT).iterdir())) == 1


def test_a_run_that_loads_plays_on_and_its_save_loads_again(tmp_path: Path) -> None:
    run = walk_run()
    store = SaveStore(tmp_path, story_of(WALK))
    store.durable = False
    for _ in range(3):
        store.save("mine", run)
        run, message = SaveStore(tmp_path, story_of(WALK)).load("mine", Engine(story_of(WALK)))
        assert message is None
        run.choose(0)
    body = body_of(run)
    assert body["state"]["turn"] == len(body["choices"])  # the bound every count is held to, and then one
