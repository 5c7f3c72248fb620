"""`zone play [PACK]`: play a pack in the terminal, or line by line when piped.

At a terminal the game uses rich and prompt_toolkit (imported only then) and
opens on a title screen. When stdin or stdout is not a terminal, with
`TERM=dumb` or with `--plain`, it reads plain lines and writes plain text with
no escape codes at all (`FORCE_COLOR` keeps rich's colours on a pipe, unless
`--plain`). `--from` and `--set` start anywhere with chosen values, for authors
and testers; `--watch` reloads the pack between turns while an author edits it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zone.commands._pack import add_pack_argument, chosen_pack
from zone.diagnostics import did_you_mean
from zone.engine import Engine
from zone.environment import Environment
from zone.errors import UsageError, ZoneError
from zone.model import Story, Value
from zone.pack import bundled_pack, display_name, load_pack
from zone.run import Run
from zone.saves.slots import SaveStore
from zone.state import MAX_SEED
from zone.status import ExitStatus
from zone.tui.game import Game, new_seed
from zone.tui.glyphs import Glyphs, for_encoding
from zone.tui.resume import continue_hint
from zone.tui.signals import Stop, stop_on_signals
from zone.tui.view import Reader, View

__all__ = ["configure", "parse_values", "run"]


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"the seed must be from 0 to {MAX_SEED}")
    return value


MIN_WIDTH = 20  # the narrowest plain text is wrapped to


def _width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value != 0 and value < MIN_WIDTH:
        raise argparse.ArgumentTypeError(f"the width is 0 (no wrapping) or at least {MIN_WIDTH} columns")
    return value


def _plain_width(args: argparse.Namespace, env: Environment) -> int | None:
    """Where plain text wraps: `--width`, else the terminal's width; a pipe gets None, one line to a paragraph."""
    if args.width is not None:
        return args.width or None
    columns = env.columns
    return None if columns is None else max(MIN_WIDTH, columns)


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not NAME=VALUE (for example writer.trust=7)")
    return name.strip(), value.strip()


def configure(parser: argparse.ArgumentParser) -> None:
    add_pack_argument(parser)
    parser.add_argument("--seed", type=_seed, help="the run's seed: the same seed and choices give the same run")
    parser.add_argument("--plain", action="store_true", help="plain text, no colours or escape codes")
    parser.add_argument("--width", type=_width, metavar="N",
                        help="plain mode: wrap at N columns, 0 for no wrapping (default: the terminal's width; "
                             "none for a pipe)")
    parser.add_argument("--saves", type=Path, metavar="DIR",
                        help="the saves folder (default: $ZONE_SAVES, ./saves in a checkout, else the data folder)")
    parser.add_argument("--continue", dest="resume", action="store_true", help="go on with the last saved run")
    parser.add_argument("--from", dest="start", metavar="SCENE", help="start in this scene instead")
    parser.add_argument("--set", dest="values", metavar="NAME=VALUE", type=_assignment, action="append",
                        default=[], help="start with this value (repeatable), e.g. --set writer.trust=7")
    parser.add_argument("--watch", action="store_true",
                        help="reload the pack between turns when its files change (for authors)")


def parse_values(story: Story, pairs: list[tuple[str, str]]) -> dict[str, Value]:
    """`--set` values checked against the story's declarations; UsageError says what is wrong."""
    values: dict[str, Value] = {}
    for name, text in pairs:
        stat = story.stats.get(name)
        if stat is None:
            raise UsageError(f"--set: there is no stat, flag or item '{name}' in this pack"
                             f"{did_you_mean(name, story.stats)}")
        if stat.type == "bool":
            if text.casefold() not in ("true", "false"):
                raise UsageError(f"--set: {name} is true or false, not '{text}'")
            values[name] = text.casefold() == "true"
            continue
        try:
            number = int(text)
        except ValueError:
            raise UsageError(f"--set: {name} is a whole number, not '{text}'") from None
        if not stat.lo <= number <= stat.hi:
            raise UsageError(f"--set: {name} = {number} is outside its range [{stat.lo}, {stat.hi}]")
        values[name] = number
    return values


def _start_scene(story: Story, scene: str | None) -> str | None:
    if scene is not None and scene not in story.scenes:
        raise UsageError(f"--from: there is no scene '{scene}' in this pack{did_you_mean(scene, story.scenes)}")
    return scene


def _front_end(args: argparse.Namespace, env: Environment, story: Story,
               glyphs: Glyphs) -> tuple[View, Reader, bool]:
    """The view and reader for this terminal (or pipe), and whether it is interactive."""
    force = bool(env.vars.get("FORCE_COLOR")) and not args.plain
    if args.plain or not (env.interactive or force):
        from zone.tui.plain import LineReader, PlainView

        return PlainView(env.stdout, story, _plain_width(args, env)), LineReader(env.stdin, env.stdout), False
    from zone.tui.richview import RichView, color_system_name, make_console

    console = make_console(env.terminal, no_color=env.no_color, force=force)
    if not env.interactive:
        from zone.tui.plain import LineReader

        return RichView(console, show_menu=True, glyphs=glyphs), LineReader(env.stdin, env.stdout), False
    from zone.tui.prompt import PromptReader

    reader = PromptReader(no_color=env.no_color, color_system=color_system_name(console), stdin=env.stdin,
                          stdout=env.terminal, glyphs=glyphs)
    view = RichView(console, show_menu=False, more=reader.more, glyphs=glyphs)
    reader.above = view.screen  # a resized terminal is drawn again from what the view printed
    return view, reader, True


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    pack = chosen_pack(args.pack, env, quiet=True)
    story = load_pack(pack, env.cache)
    if args.resume and (args.start or args.values or args.seed is not None):
        raise UsageError("--continue goes on with a saved run; it cannot be combined with --from, --set or --seed")
    values = parse_values(story, args.values)
    scene = _start_scene(story, args.start)
    engine = Engine(story)
    saves = args.saves if args.saves is not None else env.default_saves()
    if not saves.is_absolute():
        saves = env.cwd / saves
    message = None
    if args.resume:
        store = SaveStore(saves, story)
        slot = store.latest()
        if slot is None:
            raise ZoneError(f"there is no saved run of '{story.title}' in {display_name(saves)} to continue")
        game_run, warning = store.load(slot, engine)
        message = "Going on where you left off." + (f" {warning}" if warning else "")
    else:
        seed = args.seed if args.seed is not None else new_seed()
        game_run = Run.new(engine, seed, scene=scene, values=values)
    glyphs = for_encoding(getattr(env.terminal, "encoding", None))  # the symbols this output can show
    view, reader, interactive = _front_end(args, env, story, glyphs)
    title = interactive and not (args.resume or args.start or args.values)
    source = None if args.pack is None and pack == bundled_pack() else display_name(pack)
    hint = continue_hint(env, pack=source, saves=str(args.saves) if args.saves is not None else None, title=interactive)
    game = Game(game_run, saves, view, reader, cwd=env.cwd, pack=pack if args.watch else None, keys=interactive,
                source=source, hint=hint, glyphs=glyphs)
    try:
        with stop_on_signals():
            return game.play(title=title, message=message)
    except Stop:
        return ExitStatus.INTERRUPTED
