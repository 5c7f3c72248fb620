"""`zone graph [PACK] [--format dot|mermaid|svg|png] [-o FILE] [--from SCENE --depth N] [--chapter NAME]`.

With `-o FILE` the format comes from the file's extension, so `-o map.png` is
always a PNG image; a `--format` that says otherwise is refused. The map marks
what `zone check`'s proof finds (choices never enabled, soft locks); a large
pack gets a warning and the ways to draw a part of it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zone.author.graph import LARGE, View, marks, render, to_dot, to_mermaid, view_of
from zone.commands._pack import add_pack_argument, chosen_pack
from zone.diagnostics import did_you_mean
from zone.environment import Environment
from zone.errors import UsageError, ZoneError
from zone.model import Story
from zone.pack import display_name, load_pack
from zone.progress import Progress
from zone.status import ExitStatus

__all__ = ["EXTENSIONS", "configure", "output_format", "run"]

FORMATS = ("dot", "mermaid", "svg", "png")
EXTENSIONS = {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".svg": "svg", ".png": "png"}
DEFAULT_DEPTH = 3


def _depth(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= 10_000:
        raise argparse.ArgumentTypeError("must be from 0 to 10000")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    add_pack_argument(parser)
    parser.add_argument("--format", choices=FORMATS,
                        help="dot and mermaid are text; svg and png need Graphviz (default: from the -o file's "
                             "extension, else dot)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write here (.dot, .gv, .mmd, .mermaid, .svg or .png; default: stdout)")
    parser.add_argument("--from", dest="start", metavar="SCENE",
                        help="draw only the scenes this scene leads to, within --depth choices")
    parser.add_argument("--depth", type=_depth, metavar="N",
                        help=f"with --from: how many choices away (default {DEFAULT_DEPTH})")
    parser.add_argument("--chapter", metavar="NAME", help="draw only this chapter (its title or its file's name)")


def output_format(output: Path | None, explicit: str | None) -> str:
    """The format to write: the output file's extension decides; UsageError when it cannot or disagrees."""
    if output is None:
        if explicit == "png":
            raise UsageError("--format png writes an image: give a file with -o map.png")
        return explicit or "dot"
    implied = EXTENSIONS.get(output.suffix.lower())
    if implied is None and explicit is None:
        raise UsageError(f"-o: cannot tell the format of '{output.name}' from its extension: name it .dot, .mmd, "
                         ".svg or .png, or give --format")
    if implied is not None and explicit is not None and implied != explicit:
        raise UsageError(f"--format {explicit} contradicts -o {output.name}, which is {implied}: "
                         f"drop --format or name the file {output.stem}{_extension_of(explicit)}")
    return implied or explicit or "dot"


def _extension_of(fmt: str) -> str:
    return next(ext for ext, f in EXTENSIONS.items() if f == fmt)


def chapter_named(story: Story, name: str) -> str:
    """The chapter title `name` stands for: a title (in any case) or the name of a scene file."""
    folded = name.casefold()
    for chapter in story.chapters:
        if chapter.casefold() == folded:
            return chapter
    for scene in story.scenes.values():
        if Path(scene.file).stem.casefold() == folded.removesuffix(".yaml"):
            return scene.chapter
    titles = ", ".join(f"'{c}'" for c in story.chapters)
    raise UsageError(f"--chapter: there is no chapter '{name}' in this pack{did_you_mean(name, story.chapters)}; "
                     f"its chapters are {titles}")


def _view(story: Story, args: argparse.Namespace) -> View | None:
    if args.depth is not None and args.start is None:
        raise UsageError("--depth counts choices from a scene: give --from SCENE too")
    if args.start is not None and args.start not in story.scenes:
        raise UsageError(f"--from: there is no scene '{args.start}' in this pack"
                         f"{did_you_mean(args.start, story.scenes)}")
    if args.start is None and args.chapter is None:
        return None
    chapter = chapter_named(story, args.chapter) if args.chapter is not None else None
    depth = args.depth if args.depth is not None else DEFAULT_DEPTH
    return view_of(story, start=args.start, depth=depth if args.start is not None else None, chapter=chapter)


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    fmt = output_format(args.output, args.format)
    story = load_pack(chosen_pack(args.pack, env), env.cache)
    view = _view(story, args)
    shown = len(view.scenes) if view is not None else len(story.scenes)
    if shown > LARGE:
        print(f"zone: warning: a map of {shown} scenes is slow to draw and hard to read; draw a part of it with "
              "--chapter NAME or --from SCENE --depth N", file=env.stderr)
    data: bytes
    with Progress(env, "graph: looking for dead choices and soft locks") as bar:
        found = marks(story)
        if fmt == "mermaid":
            data = to_mermaid(story, view, found).encode("utf-8")
        elif fmt == "dot":
            data = to_dot(story, view, found).encode("utf-8")
        else:
            bar.phase(f"graph: Graphviz draws {shown} scenes")
            data = render(to_dot(story, view, found), fmt, wait=bar.tick)
    if args.output is None:
        env.stdout.write(data.decode("utf-8"))
        return ExitStatus.OK
    from zone.atomic import write_atomic

    output = args.output if args.output.is_absolute() else env.cwd / args.output
    try:
        write_atomic(output, data, durable=False)
    except OSError as exc:
        raise ZoneError(f"cannot write {display_name(args.output)}: {exc.strerror or exc}") from None
    print(f"wrote {display_name(args.output)} ({shown} scenes)", file=env.stdout)
    return ExitStatus.OK
