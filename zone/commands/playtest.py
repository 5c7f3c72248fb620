"""`zone playtest [PACK] --runs N [--seed S] [--jobs J]`: random playthroughs, coverage and problems."""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path
from typing import Any

from zone.author.playtest import DEFAULT_MAX_TURNS, Tally, playtest
from zone.commands._pack import add_pack_argument, chosen_pack
from zone.environment import Environment
from zone.errors import ZoneError
from zone.model import Story
from zone.pack import display_name, load_pack
from zone.progress import Interrupted, Progress
from zone.saves.replayfile import Replay
from zone.state import MAX_SEED
from zone.status import ExitStatus

__all__ = ["configure", "replay_command", "run"]


def _count(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}")
        return value
    return parse


def configure(parser: argparse.ArgumentParser) -> None:
    add_pack_argument(parser)
    parser.add_argument("--runs", type=_count(1, 10_000_000), default=1000, help="how many runs (default 1000)")
    parser.add_argument("--seed", type=_count(0, MAX_SEED), default=1, help="run i uses seed S+i (default 1)")
    parser.add_argument("--jobs", type=_count(1, 256), default=1, help="worker processes (default 1)")
    parser.add_argument("--max-turns", type=_count(1, 1_000_000), default=DEFAULT_MAX_TURNS,
                        help=f"the loop limit: a run still going after this many turns is a problem "
                             f"(default {DEFAULT_MAX_TURNS})")
    parser.add_argument("--replays", type=Path, metavar="DIR", help="write a replay file for every problem here")
    parser.add_argument("--json", action="store_true", help="print the report as JSON, for tools")


def replay_command(pack_arg: str | None, seed: int, choices: list[int]) -> str:
    """The shell command that plays these choices again with `zone play`."""
    where = f" {shlex.quote(pack_arg)}" if pack_arg else ""
    numbers = "".join(f"{c + 1}\\n" for c in choices)
    feed = f"printf '{numbers}' | " if choices else ""
    tail = "" if choices else " < /dev/null"
    return f"{feed}zone play{where} --seed {seed} --plain{tail}"


def _play(pack: Path, story: Story, args: argparse.Namespace, env: Environment) -> Tally:
    with Progress(env, "playtest", args.runs, unit="runs", quiet=args.json) as bar:
        return playtest(pack, story, args.seed, args.runs, jobs=args.jobs, max_turns=args.max_turns,
                        progress=bar.advance, cache=env.cache)


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    pack: Path = chosen_pack(args.pack, env)
    story = load_pack(pack, env.cache)
    if args.replays is not None and args.replays.exists() and not args.replays.is_dir():
        raise ZoneError(f"--replays: {args.replays} is not a folder")
    pack_arg = display_name(pack) if args.pack else None
    try:
        tally = _play(pack, story, args, env)
    except Interrupted as stop:  # the report of the runs played so far
        report = build_report(story, stop.partial, args, pack_arg)
        if args.json:
            print(json.dumps({**report, "interrupted": True}, indent=2), file=env.stdout)
        else:
            env.stdout.write(f"Interrupted after {report['runs']} of {args.runs} runs; what they found:\n\n"
                             + format_report(story, report))
        raise
    report = build_report(story, tally, args, pack_arg)
    if args.replays is not None:
        for problem in report["problems"]:
            path = args.replays / f"{problem['kind']}-{problem['scene']}.json"
            replay = Replay.record(story, display_name(pack), problem["seed"], problem["choices"],
                                   note=f"{problem['kind']} at {problem['scene']}: {problem['detail']}")
            try:
                replay.write(path)
            except OSError as exc:
                raise ZoneError(f"--replays: cannot write {display_name(path)}: {exc.strerror or exc}") from None
            problem["replay_file"] = display_name(path)
    if args.json:
        print(json.dumps(report, indent=2), file=env.stdout)
    else:
        env.stdout.write(format_report(story, report))
    return ExitStatus.ERROR if report["problems"] else ExitStatus.OK


def build_report(story: Story, tally: Tally, args: argparse.Namespace, pack_arg: str | None) -> dict[str, Any]:
    """The report as plain data, in the story's order (so that it never depends on --jobs)."""
    options = [(sid, n) for sid, s in story.scenes.items() for n in range(len(s.choices))]
    conditions = [(f"choice:{sid}#{n}", sid, n, c.condition.source, c.pos)
                  for sid, s in story.scenes.items() for n, c in enumerate(s.choices) if c.condition is not None]
    conditions += [(f"text:{sid}#{n}", sid, n, p.condition.source, p.text.pos)
                   for sid, s in story.scenes.items() for n, p in enumerate(s.passages) if p.condition is not None]
    one_way = []
    for cid, sid, n, source, pos in conditions:
        mask = tally["conditions"].get(cid, 0)
        if mask != 3:
            seen = {0: "never evaluated", 1: "never false", 2: "never true"}[mask]
            one_way.append({"where": str(pos), "scene": sid, "kind": cid.split(":")[0], "index": n,
                            "condition": source, "seen": seen})
    endings = []
    for scene in story.scenes.values():
        if scene.ending is not None:
            eid = scene.ending.id
            ranges = tally["ranges"].get(eid, {})
            endings.append({"id": eid, "title": scene.ending.title, "runs": tally["endings"].get(eid, 0),
                            "ranges": {k: ranges[k] for k in story.stats if k in ranges}})
    problems = []
    for key in sorted(tally["problems"], key=lambda k: (tally["problems"][k]["seed"], k)):
        p = tally["problems"][key]
        problems.append({**p, "command": replay_command(pack_arg, p["seed"], p["choices"])})
    return {
        "pack": story.id, "title": story.title, "runs": tally["runs"], "seed": args.seed,
        "max_turns": args.max_turns, "choices_taken": tally["choices"],
        "scenes": {"total": len(story.scenes), "reached": sum(1 for s in story.scenes if tally["scenes"].get(s)),
                   "never": [s for s in story.scenes if not tally["scenes"].get(s)]},
        "choices": {"total": len(options), "taken": sum(1 for s, n in options if tally["options"].get(f"{s}#{n}")),
                    "never": [{"scene": s, "index": n, "where": str(story.scenes[s].choices[n].pos)}
                              for s, n in options if not tally["options"].get(f"{s}#{n}")]},
        "conditions": {"total": len(conditions), "both_ways": len(conditions) - len(one_way), "one_way": one_way},
        "endings": endings,
        "problems": problems,
    }


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _range(lo: Any, hi: Any) -> str:
    if isinstance(lo, bool):
        return ("yes" if lo else "no") if lo == hi else "no/yes"
    return str(lo) if lo == hi else f"{lo}..{hi}"


def format_report(story: Story, report: dict[str, Any]) -> str:
    lines = [f"Playtest of {story.title} ({story.id} {story.version}): {report['runs']} runs from seed "
             f"{report['seed']}, {report['choices_taken']} choices, loop limit {report['max_turns']} turns", ""]
    sc, ch, co = report["scenes"], report["choices"], report["conditions"]
    lines.append("Coverage")
    lines.append(f"  scenes      {sc['reached']} of {sc['total']} ({_percent(sc['reached'], sc['total'])})")
    lines.extend(f"    never reached: {sid} ({story.scenes[sid].pos})" for sid in sc["never"])
    lines.append(f"  choices     {ch['taken']} of {ch['total']} ({_percent(ch['taken'], ch['total'])})")
    for item in ch["never"]:
        choice = story.scenes[item["scene"]].choices[item["index"]]
        lines.append(f"    never taken: {item['where']} {item['scene']} choice {item['index'] + 1} "
                     f"'{choice.text.plain or '...'}'")
    lines.append(f"  conditions  {co['both_ways']} of {co['total']} seen both true and false "
                 f"({_percent(co['both_ways'], co['total'])})")
    lines.extend(f"    {c['seen']}: {c['where']} {c['scene']} '{c['condition']}'" for c in co["one_way"])
    reached = sum(1 for e in report["endings"] if e["runs"])
    lines += ["", f"Endings ({reached} of {len(report['endings'])} reached)"]
    width = max((len(e["id"]) for e in report["endings"]), default=0)
    for e in report["endings"]:
        if not e["runs"]:
            lines.append(f"  {e['id']:<{width}}  never reached")
            continue
        lines.append(f"  {e['id']:<{width}}  {e['runs']} runs ({_percent(e['runs'], report['runs'])})")
        stats = [f"{story.stats[k].shown} {_range(lo, hi)}" for k, (lo, hi) in e["ranges"].items()
                 if not k.startswith("flags.")]
        if stats:
            lines.append("    " + ", ".join(stats))
    lines += ["", f"Problems ({len(report['problems'])})" if report["problems"] else "Problems: none"]
    for p in report["problems"]:
        what = {"stuck": "soft lock", "loop": "loop limit", "error": "error"}[p["kind"]]
        lines.append(f"  {what} at {p['scene']} ({story.scenes[p['scene']].pos}) in {p['count']} "
                     f"run{'s' * (p['count'] != 1)}: {p['detail']}")
        lines.append(f"    first in the run with seed {p['seed']}; replay it with:")
        if "replay_file" in p:
            lines.append(f"    zone replay {shlex.quote(p['replay_file'])}")
        lines.append(f"    {p['command']}")
    return "\n".join(lines) + "\n"
