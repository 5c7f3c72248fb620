"""`zone docs [TOPIC]`: the guides, shipped inside Zone, read in the terminal.

Each Markdown file of `docs/` is a topic named after its file (`authoring`,
`tools`, `playing` ...). They travel in the wheel as `zone/docs`, as the bundled
game travels as `zone/scenes`, so a pip user has the same guides as a checkout.
On a terminal a topic is rendered by rich's Markdown; on a pipe or into a file it
is the plain text it is written in.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zone.environment import Environment
from zone.errors import UsageError, ZoneError
from zone.status import ExitStatus

__all__ = ["GUIDE", "configure", "docs_folder", "run", "topics"]

GUIDE = "authoring"  # the topic shown with the list when none is asked for


def docs_folder() -> Path:
    """The guides: docs/ of a checkout, else zone/docs of an installed Zone."""
    here = Path(__file__).resolve().parent.parent
    checkout = here.parent / "docs"
    if (checkout / f"{GUIDE}.md").is_file():
        return checkout
    return here / "docs"


def topics(folder: Path | None = None) -> dict[str, Path]:
    """Every topic by name, the guide first and the others in name order."""
    folder = folder or docs_folder()
    try:
        found = sorted(p for p in folder.iterdir() if p.suffix == ".md" and not p.name.startswith("."))
    except OSError:
        found = []
    return dict(sorted(((p.stem, p) for p in found), key=lambda item: (item[0] != GUIDE, item[0])))


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", nargs="?", help=f"what to read (default: the list of topics and the {GUIDE} guide)")


def _title(path: Path) -> str:
    for line in _read(path).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ZoneError(f"cannot read the guide {path}: {getattr(exc, 'strerror', None) or exc}") from None


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    known = topics()
    if not known:
        raise ZoneError(f"the guides are missing from this installation of Zone (looked in {docs_folder()})")
    if args.topic is not None and args.topic not in known:
        from zone.diagnostics import did_you_mean

        raise UsageError(f"no topic '{args.topic}'{did_you_mean(args.topic, known)}; "
                         f"the topics are {', '.join(known)}")
    text = _read(known[args.topic or GUIDE])
    if args.topic is None:
        width = max(len(name) for name in known)
        listing = "\n".join(f"    {name:<{width}}  {_title(path)}" for name, path in known.items())
        text = f"Topics: zone docs TOPIC\n\n{listing}\n\n{text}"
    _show(env, text)
    return ExitStatus.OK


def _show(env: Environment, text: str) -> None:
    """Markdown rendered on a terminal; the text as written on a pipe."""
    width = env.columns
    if width is None or env.vars.get("TERM", "") == "dumb":
        env.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(file=env.terminal, width=width, no_color=env.no_color, force_terminal=True,
                      highlight=False)
    console.print(Markdown(text))
