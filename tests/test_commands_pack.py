"""Where authors are: with no pack named, a command works on the current folder's pack, else the bundled game,
and says which; paths are shown as they were typed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, PACKS, ROOT, run_main

HERE = "zone: no pack named: using the pack in this folder (story.yaml is here)\n"
BUNDLED_NOTE = "zone: no pack named and no story.yaml in this folder: using the bundled game\n"


@pytest.fixture
def in_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(PACKS / "tiny", folder)
    monkeypatch.chdir(folder)
    return folder


def test_check_in_a_pack_folder_checks_that_pack_and_says_so(in_pack: Path) -> None:
    result = run_main("check")
    assert result.status == 0 and result.err == HERE
    assert result.out == ".: 0 errors, 0 warnings (4 scenes, 2 endings)\n"


def test_diagnostics_in_the_current_folder_name_files_as_they_are_typed_there(in_pack: Path) -> None:
    (in_pack / "walk.yaml").write_text((in_pack / "walk.yaml").read_text().replace("goto: home", "goto: hom"))
    result = run_main("check")
    assert result.status == 1
    assert result.out.startswith("walk.yaml:")  # not ./walk.yaml, not an absolute path
    refused = run_main("stats")
    assert "to list them all: zone check .\n" in refused.err  # the command that lists them, as typed here


@pytest.mark.parametrize("command", ["stats", "prove", "check", "playtest"])
def test_json_output_stays_clean_when_the_choice_is_said(in_pack: Path, command: str) -> None:
    result = run_main(command, "--json", *(["--runs", "5"] if command == "playtest" else []))
    assert result.err == HERE
    json.loads(result.out)


def test_elsewhere_the_bundled_game_is_used_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_main("stats", "--json")
    assert result.status == 0 and result.err == BUNDLED_NOTE
    assert json.loads(result.out)["total"]["scenes"] > 100


def test_a_named_pack_says_nothing_about_the_choice(in_pack: Path) -> None:
    assert run_main("check", str(PACKS / "prove")).err == ""


def test_play_in_a_pack_folder_plays_that_pack(in_pack: Path) -> None:
    result = run_main("play", "--plain", "--seed", "3", "--saves", str(in_pack.parent / "saves"), stdin="1\n1\n")
    assert result.status == 0 and result.err == HERE
    assert "A Tiny Walk" in result.out or "The gate" in result.out
    assert "*** The end: Home again ***" in result.out or "Home again" in result.out


def test_play_elsewhere_plays_the_bundled_game_without_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_main("play", "--plain", "--seed", "3", "--saves", str(tmp_path / "saves"), stdin=":quit\n")
    assert result.status == 0 and result.err == ""  # the title screen says which story it is


def _zone(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zone", *argv], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "ZONE_CACHE": "off", "PYTHONPATH": str(ROOT)})


def test_an_absolute_pack_read_from_the_root_is_shown_absolute(tmp_path: Path) -> None:
    broken = tmp_path / "srv" / "mypack"
    shutil.copytree(PACKS / "broken" / "missing_target", broken)
    proc = _zone("check", str(broken), cwd=Path("/"))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith(f"{broken}/walk.yaml:8:13: error ZN012")
    assert proc.stdout.splitlines()[-1].startswith(f"{broken}: 1 error")


def test_a_relative_pack_is_shown_relative(tmp_path: Path) -> None:
    shutil.copytree(PACKS / "broken" / "missing_target", tmp_path / "mypack")
    proc = _zone("check", "mypack", cwd=tmp_path)
    assert proc.stdout.splitlines()[0].startswith("mypack/walk.yaml:8:13: error ZN012")


def test_the_bundled_game_is_shown_where_it_is_not_relative_to_a_folder_above_it(tmp_path: Path) -> None:
    proc = _zone("playtest", "--runs", "1", cwd=ROOT.parent)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == BUNDLED_NOTE
    shown = [line for line in proc.stdout.splitlines() if "never reached:" in line]
    assert shown and all(f"({BUNDLED.resolve()}/" in line for line in shown)
