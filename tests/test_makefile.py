"""The README's two commands: `make play` starts the game (`make test` is this very run)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_play_starts_the_game_on_its_title_screen(tmp_path: Path) -> None:
    env = {**os.environ, "ZONE_SAVES": str(tmp_path / "saves"), "TERM": "xterm-256color",
           "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "100", "LINES": "40"}
    child = pexpect.spawn("make", ["--no-print-directory", "play"], cwd=str(ROOT), env=env, encoding="utf-8",
                          timeout=120, dimensions=(40, 100))
    child.expect("New run")
    child.expect("Quit")
    child.send("4\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_ci_runs_make_test_and_nothing_else() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1].strip() == "make test"
    readme = (ROOT / "README.md").read_text()
    assert "make play" in readme and "make test" in readme
