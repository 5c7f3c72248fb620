"""`zone graph [PACK] [--format dot|mermaid|svg|png] [-o FILE]`: the story map."""

from __future__ import annotations

import argparse
from pathlib import Path

from zone.author.graph import render, to_dot, to_mermaid
from zone.environment import Environment
from zone.errors import UsageError, ZoneError
from zone.pack import bundled_pack, display_name, load_pack
from zone.status import ExitStatus

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", nargs="?", type=Path, help="the pack folder (default: the bundled game)")
    parser.add_argument("--format", choices=("dot", "mermaid", "svg", "png"), default="dot",
                        help="dot and mermaid are text; svg and png need Graphviz (default: dot)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (default: stdout)")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    if args.format == "png" and args.output is None:
        raise UsageError("--format png writes an image: give a file with -o map.png")
    story = load_pack(args.pack or bundled_pack(), env.cache)
    data: bytes
    if args.format == "mermaid":
        data = to_mermaid(story).encode("utf-8")
    elif args.format == "dot":
        data = to_dot(story).encode("utf-8")
    else:
        data = render(to_dot(story), args.format)
    if args.output is None:
        env.stdout.write(data.decode("utf-8"))
        return ExitStatus.OK
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise ZoneError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {display_name(args.output)} ({len(story.scenes)} scenes)", file=env.stdout)
    return ExitStatus.OK
