"""A pack on disk: which files are read, and how a pack that cannot be read whole is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_main, run_process
from zone.pack import MAX_FILES, check_pack

STORY = 'id: t\ntitle: T\nversion: "1"\nstart: s0\n'


def test_too_many_scene_files_are_refused_with_the_limit(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(STORY)
    for n in range(MAX_FILES + 2):
        (tmp_path / f"s{n:03}.yaml").write_text(f"s{n}:\n  title: S\n  text: x\n  ending: End {n}\n")
    story, found = check_pack(tmp_path)
    assert [d.format() for d in found if d.is_error] == [
        f"{tmp_path}: error ZN039: the pack has {MAX_FILES + 2} scene files; the limit is {MAX_FILES}, "
        f"so the last 2 (from s{MAX_FILES:03}.yaml on) were not read"]
    assert story is not None and len(story.scenes) == MAX_FILES


def test_an_empty_story_file_is_refused_by_check_and_play(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("")
    check = run_main("check", str(tmp_path))
    assert check.status == 1 and "error ZN037: story.yaml is empty" in check.out
    assert "error ZN038: the pack has no scenes" in check.out
    play = run_main("play", str(tmp_path), "--plain")
    assert play.status == 1 and "error ZN037" in play.err and "the pack has 2 errors" in play.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifos_in_a_pack_are_refused_by_the_real_program(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(STORY)
    (tmp_path / "a.yaml").write_text("s0: {title: A, text: x, choices: [{text: go, goto: s1}]}\n")
    os.mkfifo(tmp_path / "s1.yaml")
    for argv in (("check", str(tmp_path)), ("play", str(tmp_path), "--plain")):
        done = run_process(*argv, env={"ZONE_CACHE": "off"})  # a read that blocks fails with TimeoutExpired
        assert done.returncode == 1
        shown = done.stdout + done.stderr
        assert f"{tmp_path}/s1.yaml: error ZN001: cannot read file: not a regular file (a FIFO)" in shown
        assert "error ZN036: unknown scene 's1'; s1.yaml could not be read" in shown
    os.unlink(tmp_path / "story.yaml")
    os.mkfifo(tmp_path / "story.yaml")
    assert check_pack(tmp_path)[1][-1].format().endswith("story.yaml: error ZN001: cannot read file: not a "
                                                         "regular file (a FIFO)")
