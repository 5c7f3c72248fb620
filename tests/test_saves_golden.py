"""Golden saves: a file of every format Zone has written still loads, to the very same run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.test_saves_slots import WALK, story_of, walk_run
from zone.engine import Engine
from zone.saves.body import body_of
from zone.saves.savefile import FORMAT_VERSION, decode, encode
from zone.saves.slots import SaveStore

GOLDEN = Path(__file__).resolve().parent / "golden_saves"
FILES = sorted(GOLDEN.glob("v*_walk.json"))


def test_there_is_a_golden_save_of_every_format_version() -> None:
    versions = sorted(int(re.match(r"v(\d+)_", p.name)[1]) for p in FILES)  # type: ignore[index]
    assert versions == list(range(1, FORMAT_VERSION + 1))


@pytest.mark.parametrize("golden", FILES, ids=lambda p: p.name)
def test_a_golden_save_loads_as_the_run_it_recorded(tmp_path: Path, golden: Path) -> None:
    shutil.copy(golden, tmp_path / "old.json")
    run, message = SaveStore(tmp_path, story_of(WALK)).load("old", Engine(story_of(WALK)))
    assert message is None
    expected = walk_run()  # seed 7, choices 2, 1, 1, 2, 1, 1 (see golden_saves/README.md)
    assert run.state == expected.state
    assert run.choices == expected.choices
    assert run.undo_stack == expected.undo_stack
    assert run.journal() == expected.journal()
    for _ in range(6):
        assert run.undo()
    assert run.state == Engine(story_of(WALK)).start(7)


def test_the_current_writer_writes_the_current_golden_file_byte_for_byte() -> None:
    """A change to what version 2 looks like on disk must come with a new version number."""
    golden = (GOLDEN / f"v{FORMAT_VERSION}_walk.json").read_bytes()
    header = decode(golden).header
    assert encode(header, body_of(walk_run())) == golden
