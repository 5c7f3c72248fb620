"""`zone lsp`: the language server for scene packs, for editors (see docs/editors.md).

It speaks the Language Server Protocol over stdin and stdout, and needs pygls:
the `lsp` extra (`pip install 'zone[lsp]'`), which the game itself does without.
"""

from __future__ import annotations

import argparse
import importlib.util

from zone.environment import Environment
from zone.errors import ZoneError
from zone.status import ExitStatus

__all__ = ["configure", "run"]

INSTALL_HINT = "the language server needs pygls, which is not installed: pip install 'zone[lsp]'"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true",
                        help="talk over stdin and stdout (the default and only way; editors often pass it)")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    if importlib.util.find_spec("pygls") is None or importlib.util.find_spec("lsprotocol") is None:
        raise ZoneError(INSTALL_HINT)
    try:
        from zone.lsp.server import serve
    except ImportError as exc:  # installed, but not a release that works here
        raise ZoneError(f"the language server cannot start: {exc}; pip install 'zone[lsp]' installs what it "
                        "needs") from None

    if env.stdin.isatty():
        print("zone lsp talks to an editor over stdin and stdout (see docs/editors.md); Ctrl-C stops it",
              file=env.stderr)
    serve()
    return ExitStatus.OK
