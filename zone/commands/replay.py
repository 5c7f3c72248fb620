"""`zone replay FILE [--pack PACK]`: play a recorded run again and print its transcript."""

from __future__ import annotations

import argparse
from pathlib import Path

from zone._text import one_line
from zone.commands._pack import chosen_pack
from zone.engine import Engine
from zone.environment import Environment
from zone.errors import ReplayError, StateError
from zone.pack import display_name, load_pack
from zone.saves.replayfile import Replay
from zone.state import GameState
from zone.status import ExitStatus
from zone.transcript import transcript

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a replay file (from 'zone playtest --replays', or a golden run.json)")
    parser.add_argument("--pack", type=Path, help="the pack to play it against (default: the one it names)")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    replay = Replay.read(args.file)
    pack = args.pack
    if pack is None:
        pack = replay.locate(args.file, env.cwd)
    if pack is None:
        if replay.pack:
            raise ReplayError(f"cannot find the pack '{replay.pack}' that {display_name(args.file)} names; "
                              f"pass --pack PACK")
        pack = chosen_pack(None, env)
    story = load_pack(pack, env.cache)
    if replay.pack_id is not None and replay.pack_id != story.id:
        raise ReplayError(f"{display_name(args.file)} was recorded with pack '{replay.pack_id}', "
                          f"not '{story.id}' ({display_name(pack)})")
    if replay.pack_hash and replay.pack_hash != story.content_hash:
        env.error(f"note: {display_name(pack)} has changed since this run was recorded; replaying it anyway")
    values = None
    if replay.values:
        values = GameState.from_dict({"scene": story.start, "values": dict(replay.values)}, story).values
    engine = Engine(story)
    try:
        text = transcript(engine, replay.seed, replay.choices, scene=replay.scene, values=values)
    except StateError as exc:
        raise ReplayError(f"{display_name(args.file)}: {exc}") from None
    env.stdout.write(text)
    if replay.note:
        env.stdout.write(f"\n-- {one_line(replay.note)}\n")
    return ExitStatus.OK
