"""`zone graph [PACK] [--format dot|mermaid|svg|png] [-o FILE]`: the story map.

With `-o FILE` the format comes from the file's extension, so `-o map.png` is
always a PNG image; a `--format` that says otherwise is refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zone.author.graph import render, to_dot, to_mermaid
from zone.commands._pack import add_pack_argument, chosen_pack
from zone.environment import Environment
from zone.errors import UsageError, ZoneError
from zone.pack import display_name, load_pack
from zone.status import ExitStatus

__all__ = ["EXTENSIONS", "configure", "output_format", "run"]

FORMATS = ("dot", "mermaid", "svg", "png")
EXTENSIONS = {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".svg": "svg", ".png": "png"}


def configure(parser: argparse.ArgumentParser) -> None:
    add_pack_argument(parser)
    parser.add_argument("--format", choices=FORMATS,
                        help="dot and mermaid are text; svg and png need Graphviz (default: from the -o file's "
                             "extension, else dot)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write here (.dot, .gv, .mmd, .mermaid, .svg or .png; default: stdout)")


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


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    fmt = output_format(args.output, args.format)
    story = load_pack(chosen_pack(args.pack, env), env.cache)
    data: bytes
    if fmt == "mermaid":
        data = to_mermaid(story).encode("utf-8")
    elif fmt == "dot":
        data = to_dot(story).encode("utf-8")
    else:
        data = render(to_dot(story), fmt)
    if args.output is None:
        env.stdout.write(data.decode("utf-8"))
        return ExitStatus.OK
    from zone.atomic import write_atomic

    output = args.output if args.output.is_absolute() else env.cwd / args.output
    try:
        write_atomic(output, data, durable=False)
    except OSError as exc:
        raise ZoneError(f"cannot write {display_name(args.output)}: {exc.strerror or exc}") from None
    print(f"wrote {display_name(args.output)} ({len(story.scenes)} scenes)", file=env.stdout)
    return ExitStatus.OK
