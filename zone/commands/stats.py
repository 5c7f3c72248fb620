"""`zone stats [PACK] [--json]`: scenes, choices, endings and words per file and chapter; route lengths."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from zone.author.stats import Count, pack_stats
from zone.commands._pack import add_pack_argument, chosen_pack
from zone.environment import Environment
from zone.pack import load_pack
from zone.status import ExitStatus

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    add_pack_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON, for tools")


def _table(heading: str, rows: list[Count], total: Count) -> list[str]:
    width = max([len(heading), len(total.name)] + [len(r.name) for r in rows])
    out = [f"{heading:<{width}}  {'scenes':>6}  {'choices':>7}  {'endings':>7}  {'words':>7}"]
    for r in [*rows, total]:
        out.append(f"{r.name:<{width}}  {r.scenes:>6}  {r.choices:>7}  {r.endings:>7}  {r.words:>7}")
    return out


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    story = load_pack(chosen_pack(args.pack, env), env.cache)
    stats = pack_stats(story)
    if args.json:
        print(json.dumps(asdict(stats), indent=2), file=env.stdout)
        return ExitStatus.OK
    lines = [f"{story.title} ({story.id} {story.version})", ""]
    lines += _table("file", list(stats.files), stats.total)
    lines += [""] + _table("chapter", list(stats.chapters), stats.total)
    lines += ["", "Routes to each ending, in choices (by the story map, ignoring conditions):"]
    width = max([6] + [len(r.ending) for r in stats.routes])
    lines.append(f"  {'ending':<{width}}  {'shortest':>8}  {'longest':>7}  title")
    for r in stats.routes:
        short = "-" if r.shortest is None else str(r.shortest)
        long_ = "-" if r.longest is None else str(r.longest)
        lines.append(f"  {r.ending:<{width}}  {short:>8}  {long_:>7}  {r.title}")
    env.stdout.write("\n".join(lines) + "\n")
    return ExitStatus.OK
