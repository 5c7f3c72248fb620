"""Which pack a command works on, when none is named: the one in this folder, else the bundled game.

Authors run tools where their pack is, as git, cargo and ruff users do: a folder
holding `story.yaml` is the pack. The choice is said in one line on stderr, so
that `--json` output stays clean.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zone.environment import Environment
from zone.pack import bundled_pack
from zone.packformat import STORY_FILE

__all__ = ["PACK_HELP", "add_pack_argument", "chosen_pack"]

PACK_HELP = f"the pack folder (default: this folder if it holds {STORY_FILE}, else the bundled game)"


def add_pack_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", nargs="?", type=Path, help=PACK_HELP)


def chosen_pack(given: Path | None, env: Environment, *, quiet: bool = False) -> Path:
    """`given`, else this folder when it holds story.yaml, else the bundled game; said on stderr unless `quiet`
    (the game says which story it is on its title screen)."""
    if given is not None:
        return given
    if (env.cwd / STORY_FILE).is_file():
        env.error(f"no pack named: using the pack in this folder ({STORY_FILE} is here)")
        # "." is how the person would name it here; the working folder of a test's Environment may be another.
        return Path(".") if env.cwd.resolve() == Path.cwd().resolve() else env.cwd
    if not quiet:
        env.error(f"no pack named and no {STORY_FILE} in this folder: using the bundled game")
    return bundled_pack()
