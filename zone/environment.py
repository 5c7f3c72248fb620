"""Everything the program takes from the outside world, passed in so tests can replace it.

What a command writes goes through `env.stdout` and `env.stderr`, which pass
every text through `zone._text.clean`: no title, key, note or file name from a
pack, a save or a replay file can reach the terminal as a control sequence,
whichever command prints it. Only the rich game screen and its prompt, which
write escape codes of their own, take the raw stream (`env.terminal`) and clean
author text themselves.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar, cast

from zone._text import clean, one_line

__all__ = ["CleanStream", "Environment", "cache_folder", "program_name", "tolerant"]

_Stream = TypeVar("_Stream", bound=IO[str])


class CleanStream:
    """A text stream that writes everything through `clean`; anything else goes to the stream itself."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(clean(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding ...
        return getattr(self.stream, name)


def _cleaned(stream: TextIO) -> TextIO:
    return stream if isinstance(stream, CleanStream) else cast(TextIO, CleanStream(stream))


def tolerant(stream: _Stream) -> _Stream:
    """`stream`, set to replace what it cannot decode or encode instead of raising (real files only)."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors not in ("replace", "backslashreplace"):
        with contextlib.suppress(ValueError, OSError):  # a closed stream: nothing will pass through it
            stream.reconfigure(errors="replace")
    return stream



class Environment:
    """The program's streams, environment variables and working folder."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None,
                 vars: Mapping[str, str] | None = None, cwd: Path | None = None, argv0: str | None = None) -> None:
        self.argv0 = sys.argv[0] if argv0 is None else argv0  # how the program was started, for hints
        # Every stream replaces what it cannot decode or encode: a byte that is not UTF-8, or a
        # letter the locale cannot show, costs a replacement character, never the program.
        self.stdin = tolerant(stdin if stdin is not None else sys.stdin)
        self.terminal = tolerant(stdout if stdout is not None else sys.stdout)  # raw: only for the game screen
        self.stdout = _cleaned(self.terminal)
        self.stderr = _cleaned(tolerant(stderr if stderr is not None else sys.stderr))
        self.vars: Mapping[str, str] = vars if vars is not None else dict(os.environ)
        self.cwd = cwd if cwd is not None else Path.cwd()

    @property
    def interactive(self) -> bool:
        """True when both ends are a terminal that understands escape codes."""
        try:
            ttys = self.stdin.isatty() and self.stdout.isatty()
        except (AttributeError, ValueError):
            return False
        return ttys and self.vars.get("TERM", "") != "dumb"

    @property
    def columns(self) -> int | None:
        """The width of the terminal standard output shows on (`COLUMNS` first); None for a pipe or a file."""
        try:
            if not self.stdout.isatty():
                return None
            fileno = self.stdout.fileno()
        except (AttributeError, ValueError, OSError):
            return None
        given = self.vars.get("COLUMNS", "")
        if given.isdigit() and int(given) > 0:
            return int(given)
        try:
            return os.get_terminal_size(fileno).columns or None
        except OSError:
            return None

    @property
    def no_color(self) -> bool:
        return bool(self.vars.get("NO_COLOR")) and not self.vars.get("FORCE_COLOR")

    def error(self, message: str) -> None:
        """One line on stderr, prefixed with the program's name (a line break in `message` becomes a space)."""
        print(f"zone: {one_line(message)}", file=self.stderr)

    @property
    def cache(self) -> Path | None:
        """The compile cache folder for packs (None when `ZONE_CACHE=off`)."""
        return cache_folder(self.vars)

    def default_saves(self) -> Path:
        """`ZONE_SAVES`, else ./saves in a checkout, else the user data folder."""
        explicit = self.vars.get("ZONE_SAVES")
        if explicit:
            return Path(explicit)
        checkout = Path(__file__).resolve().parent.parent
        if (checkout / "pyproject.toml").is_file() and (checkout / "scenes").is_dir():
            return checkout / "saves"
        data_home = self.vars.get("XDG_DATA_HOME")
        if not data_home:
            home = home_folder()
            if home is None:
                from zone.errors import ZoneError

                raise ZoneError("there is no home folder to keep saves in: set ZONE_SAVES or pass --saves DIR")
            data_home = str(home / ".local" / "share")
        return Path(data_home) / "zone" / "saves"


def cache_folder(vars: Mapping[str, str]) -> Path | None:
    """`ZONE_CACHE` (`off` for none), else $XDG_CACHE_HOME/zone/packs, else ~/.cache/zone/packs (none without a
    home folder)."""
    explicit = vars.get("ZONE_CACHE")
    if explicit == "off":
        return None
    if explicit:
        return Path(explicit)
    base = vars.get("XDG_CACHE_HOME")
    if not base:
        home = home_folder()
        if home is None:
            return None  # nowhere to keep a cache: run without one
        base = str(home / ".cache")
    return Path(base) / "zone" / "packs"


def home_folder() -> Path | None:
    """The user's home folder, or None when the system cannot say (no HOME and no password entry)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError, OSError):
        return None


def _typable(path: Path, cwd: Path) -> str:
    """A path to a program as the player can type it: relative to `cwd` when inside it."""
    rel = os.path.relpath(path, cwd) if path.is_absolute() else str(path)
    if rel.startswith(".."):
        return str(path)
    return rel if os.sep in rel else os.path.join(".", rel)


def program_name(env: Environment, argv0: str | None = None, executable: str | None = None) -> str:
    """The running program as a person can type it here, for hints that name a command.

    'zone' when that is what PATH finds, else the program as it was invoked (a venv's
    `.venv/bin/zone`, or `python -m zone`).
    """
    import shlex
    import shutil

    argv0 = env.argv0 if argv0 is None else argv0
    executable = executable or sys.executable
    invoked = Path(argv0)
    if not argv0 or argv0.startswith("-"):  # python -c, or embedded: no program to name but Zone's own
        return "zone"
    if invoked.name == "__main__.py":  # python -m zone
        return f"{_typable(Path(executable), env.cwd)} -m zone"
    if os.sep not in argv0:  # found on PATH by the shell
        return argv0
    on_path = shutil.which("zone", path=env.vars.get("PATH", ""))
    here = env.cwd / invoked
    if on_path is not None and os.path.realpath(on_path) == os.path.realpath(here):
        return "zone"
    return shlex.quote(_typable(here, env.cwd))
