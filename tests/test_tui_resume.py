"""The line said on leaving names a command that goes on with the run, as the player can type it."""

from __future__ import annotations

import io
from pathlib import Path

from zone.environment import Environment
from zone.tui.resume import continue_hint


def hint(tmp_path: Path, argv0: str, *, title: bool = True, pack: str | None = "mypack", saves: str | None = None,
         **vars: str) -> str:
    env = Environment(stdin=io.StringIO(), stdout=io.StringIO(), vars=vars, cwd=tmp_path)
    return continue_hint(env, pack=pack, saves=saves, title=title, argv0=argv0, executable=str(tmp_path / "py"))


def test_the_quit_hint_names_the_pack_and_a_command_that_is_there(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    zone = bin_dir / "zone"
    zone.write_text("#!/bin/sh\n")
    zone.chmod(0o755)
    on_path = hint(tmp_path, str(zone), PATH=str(bin_dir))
    assert on_path == "The run is saved: 'zone play mypack --continue' goes on from here."
    assert hint(tmp_path, "zone", pack=None, PATH=str(bin_dir)) == \
        "The run is saved: 'zone play --continue' goes on from here."
    venv = tmp_path / ".venv" / "bin" / "zone"  # `zone` on PATH is another program, or there is none
    assert hint(tmp_path, str(venv), PATH=str(bin_dir), saves="my saves") == \
        "The run is saved: '.venv/bin/zone play mypack --saves 'my saves' --continue' goes on from here."
    assert hint(tmp_path, str(venv)) == "The run is saved: '.venv/bin/zone play mypack --continue' goes on from here."
    assert hint(tmp_path, "/opt/zone/bin/zone") == \
        "The run is saved: '/opt/zone/bin/zone play mypack --continue' goes on from here."
    assert hint(tmp_path, "/x/zone/__main__.py") == \
        "The run is saved: './py -m zone play mypack --continue' goes on from here."


def test_the_quit_hint_after_make_play_names_make_play(tmp_path: Path) -> None:
    assert hint(tmp_path, "/x/zone", ZONE_PROG="make play") == \
        "The run is saved: 'make play' goes on from here: choose Continue."
    assert hint(tmp_path, "/x/zone", title=False, ZONE_PROG="make play") == \
        "The run is saved: after 'make play', ':load previous' goes on from here."
