"""`zone new`: a starter pack that every tool finds sound."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_main
from zone.author.prove import prove
from zone.author.scaffold import pack_id
from zone.pack import load_pack


def test_new_pack_passes_check_with_no_warnings(tmp_path: Path) -> None:
    folder = tmp_path / "my-first pack"
    result = run_main("new", str(folder))
    assert result.status == 0
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "story.yaml", "tests", "walk.yaml"]
    assert list((folder / "tests").iterdir()) == []  # an empty folder for story tests
    assert "Created" in result.out and "tests/" in result.out
    assert result.out.splitlines()[-1] == "The authors' guide: zone docs (and zone docs tools for the tools)"
    assert "docs/authoring.md" not in (folder / "README.md").read_text() + (folder / "story.yaml").read_text()
    assert run_main("test", str(folder)).status == 0  # no story tests yet, and nothing wrong
    check = run_main("check", str(folder), "--strict")
    assert check.status == 0, check.out
    assert check.out.strip().endswith("0 errors, 0 warnings (3 scenes, 1 ending)")
    assert load_pack(folder).id == "my_first_pack" and load_pack(folder).title == "My First Pack"


def test_new_pack_is_sound_for_playtest_and_prove(tmp_path: Path) -> None:
    folder = tmp_path / "walk"
    run_main("new", str(folder), "--title", 'The "Long" Walk')
    assert load_pack(folder).title == "The 'Long' Walk"
    playtest = json.loads(run_main("playtest", str(folder), "--runs", "300", "--json").out)
    assert playtest["problems"] == [] and playtest["scenes"]["never"] == [] and playtest["choices"]["never"] == []
    assert playtest["conditions"]["one_way"] == []
    proof = prove(load_pack(folder))
    assert proof.complete and proof.sound
    assert proof.never_enabled == () and proof.unreached == ()
    assert run_main("prove", str(folder)).status == 0


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = run_main("new", str(tmp_path / "taken"))
    assert result.status == 1
    assert "already exists and is not an empty folder" in result.err
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


def test_pack_ids_from_folder_names() -> None:
    assert pack_id("My Pack!") == "my_pack"
    assert pack_id("2049") == "pack_2049"
    assert pack_id("---") == "my_pack"
