"""`zone schema`: generated from zone.packformat, it accepts every sound file and rejects the malformed ones."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import BUNDLED, PACKS, ROOT, run_main
from zone.author.schema import schema
from zone.pack import check_pack
from zone.packformat import OBJECTS

GUIDE = ROOT / "docs" / "authoring.md"
EXAMPLE = re.compile(r"<!-- example: (?P<name>\w+) -->\n```yaml\n(?P<body>.*?)```", re.S)
STRUCTURAL = {"unknown_key", "wrong_kind", "missing_key", "goto_and_random", "bad_id", "version_number"}


def _validator(kind: str = "pack") -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema(kind))


def _sound(pack: Path) -> bool:
    story, diags = check_pack(pack)
    return story is not None and not any(d.is_error for d in diags)


def _files(pack: Path) -> list[Path]:
    return sorted(pack.glob("*.yaml"))


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_schema_is_valid_draft_7_and_made_from_the_format_tables() -> None:
    generated = schema()
    jsonschema.Draft7Validator.check_schema(generated)
    definitions = generated["definitions"]
    for name, fields in OBJECTS.items():
        definition = definitions["story_file" if name == "story" else name]
        if not fields:
            continue
        body = definition["anyOf"][1] if "anyOf" in definition and name in ("flag", "ending") else definition
        assert set(body["properties"]) == {f.name for f in fields}
        assert set(body.get("required", [])) == {f.name for f in fields if f.required}
        assert all(body["properties"][f.name]["description"] == f.about for f in fields)


SOUND_PACKS = sorted(p for p in PACKS.rglob("story.yaml") if _sound(p.parent))


@pytest.mark.parametrize("pack", [p.parent for p in SOUND_PACKS], ids=lambda p: str(p.relative_to(PACKS)))
def test_every_file_of_every_sound_test_pack_is_accepted(pack: Path) -> None:
    validator = _validator()
    for path in _files(pack):
        errors = [e.message for e in validator.iter_errors(_load(path))]
        assert errors == [], path


def test_the_guides_examples_are_accepted() -> None:
    found = {m["name"]: yaml.safe_load(m["body"]) for m in EXAMPLE.finditer(GUIDE.read_text(encoding="utf-8"))}
    assert set(found) >= {"story", "scenes"}
    assert list(_validator("story").iter_errors(found["story"])) == []
    assert list(_validator("scenes").iter_errors(found["scenes"])) == []
    assert all(not list(_validator().iter_errors(body)) for body in found.values())


@pytest.mark.skipif(not _sound(BUNDLED), reason="the bundled pack does not pass 'zone check' yet")
def test_every_bundled_scene_file_is_accepted() -> None:
    validator = _validator()
    for path in _files(BUNDLED):
        assert [e.message for e in validator.iter_errors(_load(path))] == [], path


@pytest.mark.parametrize("name", sorted(STRUCTURAL))
def test_each_structurally_broken_fixture_is_rejected(name: str) -> None:
    validator = _validator()
    rejected = [p.name for p in _files(PACKS / "broken" / name) if list(validator.iter_errors(_load(p)))]
    assert rejected == ["story.yaml" if name == "version_number" else "walk.yaml"]


def test_the_broken_fixtures_that_are_well_formed_are_left_to_zone_check() -> None:
    validator = _validator()
    for pack in sorted((PACKS / "broken").iterdir()):
        if pack.name not in STRUCTURAL:
            assert all(not list(validator.iter_errors(_load(p))) for p in _files(pack)), pack.name


def test_story_and_scene_schemas_tell_the_files_apart() -> None:
    story = _load(PACKS / "prove" / "story.yaml")
    scenes = _load(PACKS / "prove" / "walk.yaml")
    assert not list(_validator("story").iter_errors(story)) and list(_validator("story").iter_errors(scenes))
    assert not list(_validator("scenes").iter_errors(scenes)) and list(_validator("scenes").iter_errors(story))


def test_the_command_prints_or_writes_the_schema(tmp_path: Path) -> None:
    printed = run_main("schema")
    assert printed.status == 0 and json.loads(printed.out) == schema()
    assert json.loads(run_main("schema", "--for", "story").out) == schema("story")
    result = run_main("schema", "-o", str(tmp_path / "zone.schema.json"))
    assert result.status == 0
    assert json.loads((tmp_path / "zone.schema.json").read_text()) == schema()


def test_calls_returns_and_random_next_are_known_and_their_mistakes_rejected() -> None:
    from tests.test_calls import SCENES, STORY

    validator = _validator()
    assert [e.message for e in validator.iter_errors(yaml.safe_load(SCENES))] == []
    assert [e.message for e in validator.iter_errors(yaml.safe_load(STORY + "max_call_depth: 3\n"))] == []
    wrong = [
        SCENES.replace("      call: bottle\n", "      call: bottle\n      random: [{goto: bar}]\n"),
        SCENES.replace("      return: true\n", "      return: true\n      goto: bar\n"),
        SCENES.replace("  next: {return: true}\n", "  next: {return: true, text: x}\n"),
        SCENES.replace("  next: {return: true}\n", "  next: {call: Talk}\n"),
        SCENES.replace("      return: true\n", "      return: false\n"),
        SCENES.replace("      goto: talk_after\n", "      goto: [{goto: talk_after}]\n"),
        SCENES + "return:\n  title: R\n  text: r\n  ending: R\n",
        STORY + "max_call_depth: 0\n",
        STORY + "max_call_depth: 65\n",
    ]
    for text in wrong:
        assert list(validator.iter_errors(yaml.safe_load(text))), text
