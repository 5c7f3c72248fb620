"""`zone playtest`: many seeded random playthroughs, and what they covered and broke.

Run i plays with seed S+i, so the game's own random outcomes are those of
`zone play --seed S+i`. Runs are played in fixed chunks of `CHUNK`; inside a
chunk, a choice no run has taken yet is preferred, else every enabled choice is
as likely as the others (so a loop that must go round twice still does, and a
loop with a way out is left sooner or later; the loop limit catches the rest).
Chunks never depend on one another, so the report is the same whatever
`--jobs` says, and any problem comes with the exact choices that replay it.

Runs are played by the engine itself (`Engine.holds`, `options`, `take`), one
engine per process, so its prepared scenes serve every chunk. Results travel
between processes as JSON text made of our own counts, never as pickled objects;
each worker compiles the pack itself from its path.
"""

from __future__ import annotations

import json
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zone.engine import Engine, Option, random_draw
from zone.model import Story, Value
from zone.progress import Interrupted
from zone.state import GameState

__all__ = ["CHUNK", "DEFAULT_MAX_TURNS", "benchmark", "chunks", "merge", "play_chunk", "play_chunk_from_path",
           "playtest"]

CHUNK = 50
BATCH = 40  # chunks a worker process plays at a time: the runs done are counted as each batch ends
DEFAULT_MAX_TURNS = 500
PICK_SALT = 0x5EED_CAFE

Tally = dict[str, Any]  # plain JSON-able data; see `_empty`
# (condition id, 1 held or 2 did not) for each choice condition; (number on screen, option, key) for each enabled choice
_Plan = tuple[tuple[tuple[str, int], ...], list[tuple[int, Option, str]]]


def chunks(seed: int, runs: int) -> list[tuple[int, int]]:
    """The (first seed, run count) of every chunk of a playtest."""
    return [(seed + start, min(CHUNK, runs - start)) for start in range(0, runs, CHUNK)]


def _empty() -> Tally:
    return {"runs": 0, "choices": 0, "scenes": {}, "options": {}, "conditions": {}, "endings": {}, "ranges": {},
            "problems": {}}


class _Player:
    """Plays runs over one prepared story, accumulating a tally."""

    def __init__(self, engine: Engine, max_turns: int) -> None:
        self.story = engine.story
        self.engine = engine
        self.max_turns = max_turns
        self.passages: dict[str, list[tuple[str, Callable[[GameState], Value]]]] = {}  # filled as scenes are entered
        self.plans: dict[tuple[str, int], _Plan] = {}
        self.scenes: Counter[str] = Counter()
        self.options: Counter[str] = Counter()
        self.conditions: dict[str, int] = {}
        self.endings: Counter[str] = Counter()
        self.ranges: dict[str, dict[str, list[Value]]] = {}
        self.problems: dict[str, dict[str, Any]] = {}
        self.choices = 0

    def enter(self, sim: GameState) -> None:
        sid = sim.scene
        self.scenes[sid] += 1
        passages = self.passages.get(sid)
        if passages is None:
            passages = self.passages[sid] = [(f"text:{sid}#{n}", p.condition.fn)
                                             for n, p in enumerate(self.story.scenes[sid].passages)
                                             if p.condition is not None]
        for cid, fn in passages:
            self.conditions[cid] = self.conditions.get(cid, 0) | (1 if fn(sim) else 2)

    def run(self, seed: int, chunk_taken: Counter[str]) -> None:
        engine, scenes = self.engine, self.story.scenes
        picks: list[int] = []
        sim = engine.start(seed)
        self.enter(sim)
        try:
            while True:
                if scenes[sim.scene].ending is not None:
                    self.finish(sim)
                    return
                if sim.turn >= self.max_turns:
                    self.problem("loop", sim.scene, seed, picks, f"still playing after {self.max_turns} turns")
                    return
                holds = engine.holds(sim)
                plan = self.plans.get((sim.scene, holds)) or self.plan(sim, holds)
                conditions = self.conditions
                for cid, seen in plan[0]:
                    conditions[cid] = conditions.get(cid, 0) | seen
                enabled = plan[1]
                if not enabled:
                    self.problem("stuck", sim.scene, seed, picks, "no choice can be taken here")
                    return
                number, option, key = self.pick(sim, seed, len(picks), enabled, chunk_taken)
                chunk_taken[key] += 1
                self.options[key] += 1
                picks.append(number)
                self.choices += 1
                sim = engine.take(sim, option.choice)
                self.enter(sim)
        except Exception as exc:  # a playtest exists to find these; the report says where
            frames = traceback.extract_tb(exc.__traceback__)
            where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
            self.problem("error", sim.scene, seed, picks, f"{type(exc).__name__}: {exc}{where}")

    def plan(self, sim: GameState, holds: int) -> _Plan:
        """What a turn in this scene with these conditions holding notes and offers, worked out once:
        which way each choice's condition went (shown or hidden), and the choices that can be taken."""
        cover = tuple(("choice:" + o.key, 1 if holds >> o.position & 1 else 2)
                      for o in self.engine.room(sim.scene).options if o.test is not None)
        enabled = [(n, o, o.key) for n, (o, e) in enumerate(self.engine.options(sim, holds)) if e]
        plan = self.plans[(sim.scene, holds)] = (cover, enabled)
        return plan

    @staticmethod
    def pick(sim: GameState, seed: int, n: int, enabled: list[tuple[int, Option, str]],
             chunk_taken: Counter[str]) -> tuple[int, Option, str]:
        """The n-th pick of the run with this seed: a choice the chunk has not taken yet, if there is one."""
        pool = [s for s in enabled if not chunk_taken[s[2]]] or enabled
        return pool[random_draw(seed ^ PICK_SALT, n) % len(pool)]

    def finish(self, sim: GameState) -> None:
        ending = self.story.scenes[sim.scene].ending
        assert ending is not None
        self.endings[ending.id] += 1
        ranges = self.ranges.setdefault(ending.id, {})
        for key, value in sim.values.items():
            seen = ranges.get(key)
            if seen is None:
                ranges[key] = [value, value]
            else:
                seen[0] = min(seen[0], value)
                seen[1] = max(seen[1], value)

    def problem(self, kind: str, scene: str, seed: int, picks: list[int], detail: str) -> None:
        key = f"{kind}:{scene}"
        entry = self.problems.get(key)
        if entry is None:
            self.problems[key] = {"kind": kind, "scene": scene, "seed": seed, "choices": list(picks),
                                  "detail": detail, "count": 1}
        else:
            entry["count"] += 1

    def tally(self, runs: int) -> Tally:
        return {"runs": runs, "choices": self.choices, "scenes": dict(self.scenes), "options": dict(self.options),
                "conditions": dict(self.conditions), "endings": dict(self.endings), "ranges": self.ranges,
                "problems": self.problems}


def play_chunk(engine: Engine, first_seed: int, runs: int, max_turns: int = DEFAULT_MAX_TURNS) -> Tally:
    """Play `runs` runs with seeds first_seed, first_seed+1, ... sharing one chunk's preferences."""
    player = _Player(engine, max_turns)
    chunk_taken: Counter[str] = Counter()
    for seed in range(first_seed, first_seed + runs):
        player.run(seed, chunk_taken)
    return player.tally(runs)


def play_chunk_from_path(pack: str, work: list[tuple[int, int]], max_turns: int, cache: str | None = None) -> str:
    """A worker process's task: load the pack from its path (through the compile cache when
    there is one), play chunks, return the tally as JSON."""
    from zone.pack import load_pack

    engine = Engine(load_pack(Path(pack), Path(cache) if cache else None))
    return json.dumps(merge([play_chunk(engine, first, runs, max_turns) for first, runs in work]))


def _add(into: dict[str, int], other: dict[str, int], combine: Callable[[int, int], int]) -> None:
    for key, value in other.items():
        into[key] = combine(into[key], value) if key in into else value


def merge(parts: list[Tally]) -> Tally:
    """One tally from many; the order of `parts` does not matter."""
    out = _empty()
    for part in parts:
        out["runs"] += part["runs"]
        out["choices"] += part["choices"]
        for field in ("scenes", "options", "endings"):
            _add(out[field], part[field], lambda a, b: a + b)
        _add(out["conditions"], part["conditions"], lambda a, b: a | b)
        for ending, stats in part["ranges"].items():
            mine = out["ranges"].setdefault(ending, {})
            for key, (lo, hi) in stats.items():
                seen = mine.get(key)
                mine[key] = [lo, hi] if seen is None else [min(seen[0], lo), max(seen[1], hi)]
        for key, problem in part["problems"].items():
            have = out["problems"].get(key)
            if have is None:
                out["problems"][key] = dict(problem)
            else:
                count = have["count"] + problem["count"]
                if problem["seed"] < have["seed"]:
                    have.update(problem)
                have["count"] = count
    return out


def playtest(pack: Path, story: Story, seed: int, runs: int, *, jobs: int = 1,
             max_turns: int = DEFAULT_MAX_TURNS, progress: Callable[[int], None] | None = None,
             cache: Path | None = None) -> Tally:
    """Play `runs` runs from `seed` on `jobs` processes; `progress(n)` is told as n more runs finish.

    Ctrl-C raises `Interrupted` with the tally of the runs played so far.
    """
    work = chunks(seed, runs)
    parts: list[Tally] = []
    try:
        if jobs == 1:
            engine = Engine(story)
            for first, count in work:
                parts.append(play_chunk(engine, first, count, max_turns))
                if progress is not None:
                    progress(count)
        else:
            _play_in_processes(pack, work, jobs, max_turns, cache, parts, progress)
    except KeyboardInterrupt:
        raise Interrupted(merge(parts)) from None
    return merge(parts)


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is for the parent, which stops the workers itself."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _play_in_processes(pack: Path, work: list[tuple[int, int]], jobs: int, max_turns: int, cache: Path | None,
                       parts: list[Tally], progress: Callable[[int], None] | None) -> None:
    import concurrent.futures
    import multiprocessing

    size = max(1, min(len(work) // (jobs * 4), BATCH))
    batches = [work[i:i + size] for i in range(0, len(work), size)]
    context = multiprocessing.get_context("spawn")  # no fork: the parent may be running a progress thread
    pool = concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_ignore_interrupts)
    try:
        shared = str(cache) if cache is not None else None
        futures = {pool.submit(play_chunk_from_path, str(pack.resolve()), batch, max_turns, shared):
                   sum(n for _, n in batch) for batch in batches}
        for future in concurrent.futures.as_completed(futures):
            parts.append(json.loads(future.result()))
            if progress is not None:
                progress(futures[future])
    except KeyboardInterrupt:
        workers = list(pool._processes.values())
        for process in workers:  # the batches under way are not waited for
            process.terminate()
        for process in workers:
            process.join()
        # With its workers gone the pool's own thread ends at once; waiting for it here keeps it from
        # writing to closed pipes while the interpreter shuts down.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()


def benchmark(pack: Path, *, runs: int = 2000, jobs: int = 1) -> float:
    """Choices taken per second by a playtest of `pack` (for `make bench`)."""
    import tempfile

    from zone.pack import load_pack

    with tempfile.TemporaryDirectory() as cache_dir:
        cache = Path(cache_dir)
        story = load_pack(pack, cache)
        start = time.perf_counter()
        tally = playtest(pack, story, 1, runs, jobs=jobs, cache=cache)
        return float(tally["choices"]) / max(time.perf_counter() - start, 1e-9)
