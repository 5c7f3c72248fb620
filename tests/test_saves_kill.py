"""A process saving in a loop, killed with SIGKILL at random moments: the slot always loads, new or previous.

Each child is forked from the test process (so no interpreter start-up per
kill), saves the same slot over and over with durable writes, and is killed
after a random few milliseconds, often in the middle of a write. After every
kill the slot must load without any recovery message: never damaged, never
missing. The child of round N plays seed N, so the loaded run tells whether it
is the newest state (seed N) or the previous one (seed N - 1).
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.test_saves_slots import WALK, story_of
from zone.atomic import clean_stale
from zone.engine import Engine
from zone.run import Run
from zone.saves.slots import CORRUPT, SaveStore

KILLS = 200

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin",
                                reason="needs fork() without macOS's fork restrictions")


def _child(folder: Path, seed: int, ready: int) -> None:
    """Save a growing run in a loop until killed; never returns."""
    try:
        engine = Engine(story_of(WALK))
        store = SaveStore(folder, engine.story)
        run = Run.new(engine, seed)
        run.choose(0)
        store.save("loop", run)
        os.write(ready, b"x")
        while True:
            run.choose(0)
            if len(run.choices) > 30:
                run = Run.new(engine, seed)
                run.choose(0)
            store.save("loop", run)
    finally:
        os._exit(0)


def test_a_slot_survives_200_kills_in_the_middle_of_saving(tmp_path: Path) -> None:
    engine = Engine(story_of(WALK))  # the pack is compiled once, before forking
    rng = random.Random(7)
    previous, cut_short, fresh = -1, 0, 0
    for seed in range(KILLS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.close(read_end)
            _child(tmp_path, seed, write_end)
        os.close(write_end)
        if seed == 0 or rng.random() < 0.5:  # often, wait until the child has saved once
            os.read(read_end, 1)
        os.close(read_end)
        time.sleep(rng.uniform(0, 0.004))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)

        cut_short += len(clean_stale(tmp_path))  # the temporary file of a write the kill cut short
        run, message = SaveStore(tmp_path, engine.story).load("loop", engine)
        assert message is None, f"kill {seed}: {message}"
        assert run.seed in (seed, previous), f"kill {seed}: a run of seed {run.seed}"
        assert run.state == replayed(engine, run).state  # a whole, consistent run
        fresh += run.seed == seed
        previous = run.seed
        assert not (tmp_path / CORRUPT).exists()
        assert {p.name for p in tmp_path.iterdir()} <= {"loop.json", "loop.json.bak"}
    assert fresh > KILLS // 4 and cut_short > 0  # the kills did land after saves, and during them


def replayed(engine: Engine, run: Run) -> Run:
    again = Run.new(engine, run.seed)
    for index in run.choices:
        again.choose(index)
    return again
