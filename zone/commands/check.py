"""`zone check [PACK] [--json] [--strict]`: every diagnostic of a pack; exit 1 when any is an error.

Once a pack compiles without errors, the meaning checks of `zone.author.lint`
run as well (unused stats, impossible choices, soft locks, endless loops, unreachable endings).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zone._text import one_line
from zone.commands._pack import add_pack_argument, chosen_pack
from zone.diagnostics import Diagnostic, format_json
from zone.environment import Environment
from zone.pack import check_pack, pack_label
from zone.progress import Progress
from zone.status import ExitStatus

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    add_pack_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the diagnostics as JSON, for tools")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too (for CI)")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    pack: Path = chosen_pack(args.pack, env)
    with Progress(env, "check: reading the pack", quiet=args.json) as bar:
        story, diags = check_pack(pack, env.cache)
        explored = True
        from zone.author.lint import explores, lint, meaning_applies

        if meaning_applies(story, diags):
            explored = explores(story)
            bar.phase("check: unused values, dead choices, soft locks, endless loops")
            try:
                diags = sorted(diags + lint(story), key=lambda d: (d.pos.file, d.pos.line, d.pos.col, d.code))
            except KeyboardInterrupt:
                bar.close()
                if not args.json:
                    _interrupted(diags, env)
                raise
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    if args.json:
        print(format_json(diags), file=env.stdout)
    else:
        for d in diags:
            print(one_line(d.format()), file=env.stdout)
        size = ""
        if story is not None:
            scenes, endings = len(story.scenes), len(story.endings)
            size = f" ({scenes} scene{'s' * (scenes != 1)}, {endings} ending{'s' * (endings != 1)})"
        print(f"{pack_label(pack)}: {errors} error{'s' * (errors != 1)}, "
              f"{warnings} warning{'s' * (warnings != 1)}{size}", file=env.stdout)
        if not explored:
            print("Soft locks, endless loops and unreachable endings were not explored in a pack this large: "
                  "run 'zone prove' for them.", file=env.stdout)
    if errors or (args.strict and warnings):
        return ExitStatus.ERROR
    return ExitStatus.OK


def _interrupted(diags: list[Diagnostic], env: Environment) -> None:
    """Ctrl-C while the meaning was being checked: the problems of form, found before."""
    for d in diags:
        print(one_line(d.format()), file=env.stdout)
    print(f"Interrupted: the pack's form was checked ({len(diags)} warning{'s' * (len(diags) != 1)}); "
          "its meaning was not", file=env.stdout)
