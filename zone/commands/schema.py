"""`zone schema [--for pack|story|scenes] [-o FILE]`: the JSON Schema of pack files, for editors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from zone.author.schema import KINDS, schema
from zone.environment import Environment
from zone.errors import ZoneError
from zone.status import ExitStatus

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--for", dest="kind", choices=KINDS, default="pack",
                        help="which files: story.yaml, scene files, or either (default)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the schema here (default: stdout)")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    text = json.dumps(schema(args.kind), indent=2) + "\n"
    if args.output is None:
        env.stdout.write(text)
        return ExitStatus.OK
    from zone.atomic import write_atomic

    try:
        write_atomic(args.output, text.encode("utf-8"), durable=False)
    except OSError as exc:
        raise ZoneError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {args.output}", file=env.stdout)
    return ExitStatus.OK
