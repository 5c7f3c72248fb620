"""`make bench`: every performance figure beside the floor it is compared with, measured in the same run.

Prints a table (median of several runs, with min and max) and writes it as JSON
(bench/results/latest.json unless --out says otherwise). `--quick` runs tiny
sizes only, so the test suite can check that this code still runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.synthetic import FEATURE_BLOCK, write_feature_pack, write_pack

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("startup", "scale", "turns", "saves", "authoring", "features")


@dataclass
class Row:
    figure: str
    unit: str
    median: float
    low: float
    high: float
    floor_name: str = ""
    floor: float = 0.0
    target: str = ""
    ok: bool | None = None

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor else None


def samples(fn: Callable[[], float], n: int) -> list[float]:
    return [fn() for _ in range(n)]


def row(figure: str, unit: str, values: list[float], **kw: object) -> Row:
    return Row(figure, unit, statistics.median(values), min(values), max(values), **kw)  # type: ignore[arg-type]


def timed_process(argv: list[str], stdin: int | None = None, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env, check=False)
    return (time.perf_counter() - start) * 1000


def zone_argv() -> list[str]:
    script = Path(sys.executable).parent / "zone"
    return [str(script)] if script.exists() else [sys.executable, "-m", "zone"]


# -- start-up ---------------------------------------------------------------------------------------------

def bench_startup(n: int, env: dict[str, str]) -> list[Row]:
    # An installed package has its bytecode compiled (pip does it); a checkout may not, and
    # PYTHONDONTWRITEBYTECODE would keep it that way. Compile it, so both sides of each
    # ratio load bytecode, as rich and yaml do from site-packages.
    import compileall

    compileall.compile_dir(str(ROOT / "zone"), quiet=1)
    py = [sys.executable]
    rows = []
    floor = samples(lambda: timed_process([*py, "-c", "pass"], env=env), n)
    got = samples(lambda: timed_process([*zone_argv(), "--version"], env=env), n)
    rows.append(row("zone --version", "ms", got, floor_name="python -c pass", floor=statistics.median(floor),
                    target="<= 1.5x"))
    floor = samples(lambda: timed_process([*py, "-c", "import rich.console, yaml"], env=env), n)
    with open(os.devnull) as devnull:
        got = samples(lambda: timed_process([*zone_argv(), "play", "--plain", "--seed", "1"], stdin=devnull.fileno(),
                                            env=env), n)
    rows.append(row("zone play --plain to first scene (stdin at EOF)", "ms", got,
                    floor_name="python -c 'import rich.console, yaml'", floor=statistics.median(floor),
                    target="<= 1.2x"))
    try:
        import pexpect
    except ImportError:  # pragma: no cover - pexpect is a test dependency
        return rows

    def in_terminal(argv: list[str], pattern: str | None) -> float:
        start = time.perf_counter()
        child = pexpect.spawn(argv[0], argv[1:], env={**env, "TERM": "xterm-256color"}, dimensions=(40, 100),
                              encoding="utf-8", timeout=30)
        if pattern is None:
            child.expect(pexpect.EOF)
        else:
            child.expect(pattern)
        elapsed = (time.perf_counter() - start) * 1000
        child.terminate(force=True)
        return elapsed

    floor = samples(lambda: in_terminal([*py, "-c", "import rich.console, prompt_toolkit, yaml"], None), n)
    got = samples(lambda: in_terminal([*zone_argv(), "play", "--seed", "1"], r"1[.)]"), n)
    rows.append(row("zone play in a terminal to the first prompt", "ms", got,
                    floor_name="python -c 'import rich.console, prompt_toolkit, yaml'",
                    floor=statistics.median(floor), target="<= 1.2x"))
    return rows


# -- scale ------------------------------------------------------------------------------------------------

def bench_scale(pack: Path, n: int, cache: Path, targeted: bool) -> list[Row]:
    import yaml

    from zone.author.lint import lint
    from zone.pack import check_pack

    files = sorted(pack.glob("*.yaml"))

    def yaml_alone() -> float:
        start = time.perf_counter()
        for f in files:
            yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
        return (time.perf_counter() - start) * 1000

    def check(use_cache: bool) -> float:
        """`zone check` without its printing: load, compile, validate, then the meaning checks."""
        start = time.perf_counter()
        story, _ = check_pack(pack, cache if use_cache else None)
        assert story is not None
        if not use_cache:
            lint(story)
        return (time.perf_counter() - start) * 1000

    floor = statistics.median(samples(yaml_alone, n))
    scenes = len(list(check_pack(pack)[0].scenes))  # type: ignore[union-attr]
    # The targets are set for the largest pack; smaller ones are shown for the trend.
    rows = [row(f"zone check, {scenes} scenes", "ms", samples(lambda: check(False), n),
                floor_name="yaml.load (CSafeLoader) of the same files", floor=floor,
                target="<= 2x" if targeted else "")]
    check(True)
    rows.append(row(f"cached load, {scenes} scenes", "ms", samples(lambda: check(True), n),
                    floor_name="yaml.load (CSafeLoader) of the same files", floor=floor,
                    target="<= 0.2x" if targeted else ""))
    # VmHWM, not ru_maxrss: ru_maxrss carries the parent's high-water mark across fork and exec.
    code = ("import resource, sys; from pathlib import Path; from zone.pack import check_pack; "
            "peak = lambda: next((int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')), "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); "
            "from zone.author.lint import lint; lint(check_pack(Path(" + repr(str(pack)) + "))[0]); "
            "print(peak())")
    peaks = []
    for _ in range(max(1, n // 2)):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        peaks.append(int(out.strip()) / 1024)
    rows.append(row(f"peak memory of zone check, {scenes} scenes", "MB", peaks, target="< 200 MB"))
    rows[-1].ok = rows[-1].median < 200
    return rows


# -- turns ----------------------------------------------------------------------------------------------

def _onward(engine: object, frame: object) -> list[int]:
    """Enabled choices, preferring those that cannot end the run (so one run goes on)."""
    enabled = [c for c in frame.choices if c.enabled]  # type: ignore[attr-defined]
    scenes = engine.story.scenes  # type: ignore[attr-defined]
    onward = [c for c in enabled if all(scenes[t].ending is None for t in c.choice.targets)]
    return [c.index for c in (onward or enabled)]


def _walk(engine: object, turns: int, seed: int, wide: bool = False, follow: bool = False
          ) -> tuple[list[float], int]:
    """Per-turn times (µs) of one choice and the next frame over one long run, restarting at endings,
    and how many distinct scenes the run entered.

    A choice is taken as `Run.choose` takes it, from the frame already shown (and, to `follow`, on
    through the scenes that go on by themselves, as `Run.choose` does). A `wide`
    walk goes on to a scene it has not seen whenever it can, so its visits keep growing.
    """
    from zone.engine import Engine

    assert isinstance(engine, Engine)
    rng = random.Random(seed)
    state = engine.start(seed)
    frame = engine.frame(state)
    seen = {state.scene}
    times = []
    clock = time.perf_counter
    for _ in range(turns):
        enabled = _onward(engine, frame)
        if not enabled:
            state = engine.start(rng.randrange(1 << 30))
            frame = engine.frame(state)
            continue
        fresh = [i for i in enabled if not seen.issuperset(frame.choices[i].choice.targets)] if wide else []
        pick = fresh[0] if fresh else rng.choice(enabled)
        start = clock()
        if follow:
            state, passed = engine.advance(engine.take(state, frame.choices[pick].choice))
            frame = engine.frame(state, passed)
        else:
            state = engine.take(state, frame.choices[pick].choice)
            frame = engine.frame(state)
        times.append((clock() - start) * 1e6)
        seen.add(state.scene)
    return times, len(seen)


def _floor_walk(scenes: int, turns: int, seed: int) -> list[float]:
    """Per-turn times (µs) of the bare floor (bench/floor.py) on the same pack, by the same rule of play."""
    from bench.floor import Floor
    from bench.synthetic import scenes as pack_scenes

    floor = Floor(pack_scenes(scenes))
    rng = random.Random(seed)
    floor.start("s0", seed)
    text, choices = floor.frame()
    times = []
    clock = time.perf_counter
    for _ in range(turns):
        enabled = [c for _, ok, c in choices if ok]
        onward = [c for c in enabled if all(floor.scenes[t]["ending"] is None for t in c["targets"])]
        if not (onward or enabled):
            floor.start("s0", rng.randrange(1 << 30))
            text, choices = floor.frame()
            continue
        pick = rng.choice(onward or enabled)
        start = clock()
        floor.take(pick)
        text, choices = floor.frame()
        times.append((clock() - start) * 1e6)
    return times


def _chunked(times: list[float]) -> list[float]:
    return [statistics.median(times[i:i + 100]) for i in range(0, len(times) - 99, 100)] or times


def bench_features(features: Path, small: Path, turns: int, n: int) -> list[Row]:
    """The pack that uses every feature of the language: a turn (following `next` and calls as a player
    does), `zone check`, a playtest and a proof."""
    from zone.author import playtest, prove
    from zone.author.lint import lint
    from zone.engine import Engine
    from zone.pack import check_pack, load_pack

    story = load_pack(features)
    scenes = len(story.scenes)
    times, _ = _walk(Engine(story), turns, 7, follow=True)
    rows = [row(f"one choose + frame, feature pack ({scenes} scenes)", "µs", _chunked(times))]

    def check() -> float:
        start = time.perf_counter()
        checked, _ = check_pack(features)
        assert checked is not None
        lint(checked)
        return (time.perf_counter() - start) * 1000

    # one sample: its once-only choices (one a block, all still live everywhere) make its check long
    rows.append(row(f"zone check, feature pack ({scenes} scenes)", "ms", samples(check, 1)))
    rows.append(row(f"playtest, feature pack ({scenes} scenes), 1 job", "choices/s",
                    samples(lambda: float(playtest.benchmark(features, runs=max(20, turns // 50), jobs=1)), n)))
    small_scenes = len(load_pack(small).scenes)
    rows.append(row(f"prove, feature pack ({small_scenes} scenes)", "states/s",
                    samples(lambda: float(prove.benchmark(small)), n)))
    return rows


def bench_turns(bundled: Path, big: Path, turns: int, scenes: int) -> list[Row]:
    from zone.engine import Engine
    from zone.pack import load_pack

    rows = []
    times, _ = _walk(Engine(load_pack(bundled)), turns, 7)
    rows.append(row("one choose + frame, bundled pack", "µs", _chunked(times), target="<= 20 µs median"))
    rows[-1].ok = rows[-1].median <= 20
    big_story = load_pack(big)
    floor = statistics.median(_chunked(_floor_walk(scenes, turns, 7)))
    times, _ = _walk(Engine(big_story), turns, 7)
    rows.append(row(f"one choose + frame, {big.name} pack", "µs", _chunked(times),
                    floor_name="bare dict-and-closure machine (bench/floor.py)", floor=floor, target="<= 2x"))
    times, _ = _walk(Engine(big_story), turns, 11)
    early = statistics.median(times[10:110])
    late = statistics.median(times[-100:])
    rows.append(Row(f"turn {len(times) - 100}..{len(times)} vs turn 10..110 of one run", "µs", late,
                    min(times[-100:]), max(times[-100:]), floor_name="turns 10..110", floor=early,
                    target="within 20%"))
    rows[-1].ok = abs(late - early) <= 0.2 * early
    early_runs, late_runs, distinct = [], [], []
    for seed in range(3):
        engine = Engine(big_story)
        _walk(engine, turns, 20 + seed, wide=True)  # the same walk once before: every scene it enters is prepared
        times, seen = _walk(engine, turns, 20 + seed, wide=True)
        early_runs.append(statistics.median(times[10:110]))
        late_runs.append(statistics.median(times[-100:]))
        distinct.append(seen)
    early, late = statistics.median(early_runs), statistics.median(late_runs)
    rows.append(Row(f"wide walk ({min(distinct):,} distinct scenes): turn {turns - 100}..{turns} vs 10..110", "µs",
                    late, min(late_runs), max(late_runs), floor_name="turns 10..110", floor=early,
                    target="within 15%"))
    rows[-1].ok = abs(late - early) <= 0.15 * early
    return rows


# -- saves ----------------------------------------------------------------------------------------------

def bench_saves(big: Path, turns: int, n: int) -> list[Row]:
    from unittest import mock

    from zone.engine import Engine
    from zone.pack import load_pack
    from zone.run import Run
    from zone.saves.slots import SaveStore

    story = load_pack(big)
    run = Run.new(Engine(story), 3)
    rng = random.Random(3)
    while len(run.choices) < turns:
        enabled = _onward(run.engine, run.frame())
        if not enabled:
            break
        run.choose(rng.choice(enabled))
    with tempfile.TemporaryDirectory() as tmp, mock.patch("os.fsync", lambda fd: None):
        store = SaveStore(Path(tmp), story)

        def save() -> float:
            start = time.perf_counter()
            store.save("bench", run)
            return (time.perf_counter() - start) * 1000

        times = samples(save, n)
        size = max(p.stat().st_size for p in Path(tmp).glob("bench*"))
    rows = [row(f"write a save after {len(run.choices)} turns (no fsync)", "ms", times, target="< 2 ms")]
    rows[-1].ok = rows[-1].median < 2
    rows.append(Row(f"save file size after {len(run.choices)} turns", "KB", size / 1024, size / 1024, size / 1024,
                    target="< 64 KB", ok=size < 64 * 1024))
    return rows


# -- playtest and prove -----------------------------------------------------------------------------------

def bench_authoring(bundled: Path, packs: list[Path], prove_pack: Path, runs: int, n: int) -> list[Row]:
    from zone.author import playtest, prove

    rows: list[Row] = []
    one: list[float] = []
    for name, pack, target in [("bundled pack", bundled, 200_000),
                               *((f"{p.name} pack", p, 100_000 if p == packs[-1] else 0) for p in packs)]:
        got = samples(lambda p=pack: float(playtest.benchmark(p, runs=runs, jobs=1)), n)  # type: ignore[misc]
        one = one or got
        rows.append(row(f"playtest, {name}, 1 job", "choices/s", got, target=f">= {target:,}" if target else ""))
        rows[-1].ok = rows[-1].median >= target if target else None
    two = samples(lambda: float(playtest.benchmark(bundled, runs=runs * 2, jobs=2)), n)
    rows.append(row("playtest, bundled pack, 2 jobs", "choices/s", two, floor_name="1 job",
                    floor=statistics.median(one), target="close to 2x"))
    got = samples(lambda: float(prove.benchmark(prove_pack)), n)
    rows.append(row("prove, synthetic pack", "states/s", got, target=">= 150,000"))
    rows[-1].ok = rows[-1].median >= 150_000
    return rows


# -- report ---------------------------------------------------------------------------------------------------

def verdict(r: Row) -> str:
    if r.ok is not None:
        return "yes" if r.ok else "NO"
    if r.ratio is not None and r.target.startswith("<="):
        return "yes" if r.ratio <= float(r.target.split()[1].rstrip("x")) else "NO"
    return ""


def table(rows: list[Row]) -> str:
    head = ("figure", "median", "min", "max", "floor", "ratio", "target", "met")
    lines = [head]
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        floor = f"{r.floor:,.1f} ({r.floor_name})" if r.floor_name else ""
        lines.append((r.figure, f"{r.median:,.1f} {r.unit}", f"{r.low:,.1f}", f"{r.high:,.1f}", floor, ratio,
                      r.target, verdict(r)))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that the suite runs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--only", action="append", choices=GROUPS, help="run only this group (repeatable)")
    args = parser.parse_args(argv)
    only = set(args.only or GROUPS)
    quick = args.quick
    n = 2 if quick else 7
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "ZONE_SAVES": str(work / "saves"), "ZONE_CACHE": str(work / "cache"),
               "XDG_DATA_HOME": str(work / "data"), "COLUMNS": "100", "LINES": "40"}
        sizes = (100,) if quick else (100, 1000, 10000)
        packs = {size: write_pack(work / f"synthetic-{size}", size) for size in sizes}
        big = packs[sizes[-1]]
        bundled = ROOT / "scenes"
        if "startup" in only:
            rows += bench_startup(n, env)
        for size in sizes if "scale" in only else ():
            rows += bench_scale(packs[size], 2 if quick else 5, work / "cache", size == sizes[-1])
        if "turns" in only:
            rows += bench_turns(bundled, big, 300 if quick else 10_000, sizes[-1])
        if "saves" in only:
            rows += bench_saves(big, 50 if quick else 1000, n)
        if "authoring" in only:
            rows += bench_authoring(bundled, [packs[s] for s in sizes[1:] or sizes], packs[sizes[0]],
                                    20 if quick else 2000, 1 if quick else 3)
        if "features" in only:
            blocks = 2 if quick else 1000 // FEATURE_BLOCK
            rows += bench_features(write_feature_pack(work / "features", blocks),
                                   write_feature_pack(work / "features-small", 2 if quick else 3),
                                   300 if quick else 10_000, 1 if quick else 3)
    text = table(rows)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"quick": quick, "python": sys.version.split()[0],
                                    "rows": [{**asdict(r), "ratio": r.ratio, "met": verdict(r)} for r in rows]},
                                   indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
