"""`zone replay FILE [--pack PACK]`: play a recorded run again and print its transcript."""

from __future__ import annotations

import argparse
from pathlib import Path

from zone._text import one_line
from zone.commands._pack import as_typed_here, chosen_pack
from zone.engine import Engine
from zone.environment import Environment
from zone.errors import ReplayError, StateError
from zone.pack import display_name, load_pack, pack_label
from zone.saves.replayfile import Replay
from zone.state import GameState
from zone.status import ExitStatus
from zone.transcript import transcript

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a replay file: one ':transcript FILE.json' wrote while playing, or "
                                               "'zone playtest --replays' wrote")
    parser.add_argument("--pack", type=Path, help="the pack to play it against (default: the one it names)")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    replay = Replay.read(args.file)
    pack = args.pack
    if pack is None:
        pack = _recorded_pack(replay, args.file, env)
    if pack is None:
        if replay.pack:
            raise ReplayError(f"cannot find the pack '{replay.pack}' that {display_name(args.file)} names; "
                              f"pass --pack PACK")
        pack = chosen_pack(None, env)
    story = load_pack(pack, env.cache)
    if replay.pack_id is not None and replay.pack_id != story.id:
        raise ReplayError(f"{display_name(args.file)} was recorded with pack '{replay.pack_id}', "
                          f"not '{story.id}' ({pack_label(pack)})")
    if replay.pack_hash and replay.pack_hash != story.content_hash:
        env.error(f"note: {pack_label(pack)} has changed since this run was recorded; replaying it anyway")
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


def _recorded_pack(replay: Replay, file: Path, env: Environment) -> Path | None:
    """The pack the replay names, found wherever it is played from; said on stderr when it is not the
    folder the name gives from here (a replay recorded inside its pack names it '.')."""
    found = replay.locate(file, env.cwd)
    if found is None:
        return None
    pack = as_typed_here(found, env)
    if replay.pack is not None and found.resolve() != (env.cwd / replay.pack).resolve():
        env.error(f"note: {display_name(file)} names the pack '{replay.pack}' (from where it was recorded); "
                  f"using {pack_label(pack)}, which holds the pack '{replay.pack_id}'")
    return pack
