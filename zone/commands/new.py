"""`zone new DIR [--title TITLE]`: start a new pack from a small, sound example."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from zone.author.scaffold import new_pack
from zone.environment import Environment, program_name
from zone.pack import display_name
from zone.status import ExitStatus

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="the new pack's folder (created; must not exist or be empty)")
    parser.add_argument("--title", help="the story's title (default: from the folder's name)")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    folder = args.folder if args.folder.is_absolute() else env.cwd / args.folder
    files = new_pack(folder, args.title)
    where = shlex.quote(display_name(args.folder))
    names = [p.name + "/" * p.is_dir() for p in files]
    print(f"Created {display_name(args.folder)}: {', '.join(names)}", file=env.stdout)
    zone = program_name(env)
    print(f"Next: {zone} check {where}, then {zone} play {where}", file=env.stdout)
    print(f"The authors' guide: {zone} docs (and {zone} docs tools for the tools)", file=env.stdout)
    return ExitStatus.OK
