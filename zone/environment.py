"""Everything the program takes from the outside world, passed in so tests can replace it."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

__all__ = ["Environment"]


@dataclass
class Environment:
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    vars: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path = field(default_factory=Path.cwd)

    @property
    def interactive(self) -> bool:
        """True when both ends are a terminal that understands escape codes."""
        try:
            ttys = self.stdin.isatty() and self.stdout.isatty()
        except (AttributeError, ValueError):
            return False
        return ttys and self.vars.get("TERM", "") != "dumb"

    @property
    def no_color(self) -> bool:
        return bool(self.vars.get("NO_COLOR")) and not self.vars.get("FORCE_COLOR")

    def error(self, message: str) -> None:
        """One line on stderr, prefixed with the program's name."""
        print(f"zone: {message}", file=self.stderr)

    @property
    def cache(self) -> Path | None:
        """The compile cache folder for packs (None when `ZONE_CACHE=off`)."""
        from zone.cache import cache_folder

        return cache_folder(self.vars)

    def default_saves(self) -> Path:
        """`ZONE_SAVES`, else ./saves in a checkout, else the user data folder."""
        explicit = self.vars.get("ZONE_SAVES")
        if explicit:
            return Path(explicit)
        checkout = Path(__file__).resolve().parent.parent
        if (checkout / "pyproject.toml").is_file() and (checkout / "scenes").is_dir():
            return checkout / "saves"
        data_home = self.vars.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(data_home) / "zone" / "saves"
