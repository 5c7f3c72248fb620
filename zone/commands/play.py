"""`zone play [PACK] [--seed N]`: play a pack."""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path

from zone.engine import Engine
from zone.environment import Environment
from zone.pack import bundled_pack, load_pack
from zone.run import Run
from zone.state import MAX_SEED
from zone.status import ExitStatus
from zone.tui.plain import play_plain

__all__ = ["configure", "run"]


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"the seed must be from 0 to {MAX_SEED}")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", nargs="?", type=Path, help="the pack folder (default: the bundled game)")
    parser.add_argument("--seed", type=_seed, help="the run's seed: the same seed and choices give the same run")
    parser.add_argument("--plain", action="store_true", help="plain text, no colours or escape codes")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    story = load_pack(args.pack or bundled_pack())
    seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
    game = Run.new(Engine(story), seed)
    return play_plain(game, env.stdin, env.stdout)
