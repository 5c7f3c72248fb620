"""Every example in docs/authoring.md loads and plays."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT, run_main
from zone.engine import Engine
from zone.pack import load_pack
from zone.transcript import transcript

GUIDE = ROOT / "docs" / "authoring.md"
BLOCK = re.compile(r"<!-- example: (?P<name>\w+) -->\n```yaml\n(?P<body>.*?)```", re.S)
FENCED_YAML = re.compile(r"```yaml\n(?P<body>.*?)```", re.S)


def examples() -> dict[str, str]:
    return {m["name"]: m["body"] for m in BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))}


def write_example_pack(folder: Path, name: str = "") -> Path:
    found = examples()
    prefix = f"{name}_" if name else ""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(found[f"{prefix}story"], encoding="utf-8")
    (folder / "walk.yaml").write_text(found[f"{prefix}scenes"], encoding="utf-8")
    return folder


def test_the_guide_has_its_examples() -> None:
    assert set(examples()) == {"story", "scenes", "nut_story", "nut_scenes", "call_story", "call_scenes"}


def test_the_nut_example_checks_clean_and_the_nut_tells_what_walking_on_meets(tmp_path: Path) -> None:
    folder = write_example_pack(tmp_path / "nut", "nut")
    result = run_main("check", str(folder))
    assert result.status == 0 and "0 errors, 0 warnings" in result.out, result.out
    engine = Engine(load_pack(folder))
    seen = set()
    for seed in range(40):
        thrown = engine.choose(engine.start(seed), 0).scene
        walked = engine.choose(engine.start(seed), 1).scene
        assert (thrown, walked) in {("nut_lands", "far_side"), ("nut_vanishes", "swallowed")}
        seen.add(thrown)
    assert seen == {"nut_lands", "nut_vanishes"}


def test_the_call_example_checks_clean_and_returns_to_the_bar(tmp_path: Path) -> None:
    folder = write_example_pack(tmp_path / "call", "call")
    result = run_main("check", str(folder))
    assert result.status == 0 and "0 errors, 0 warnings" in result.out, result.out
    engine = Engine(load_pack(folder))
    state = engine.choose(engine.start(1), 0)
    assert (state.scene, state.stack) == ("writer_talk", ("bar",))
    state, passed = engine.advance(engine.choose(state, 1))
    assert (state.scene, state.stack) == ("bar", ())
    assert "He laughs" in passed[0]
    frame = engine.frame(state)
    assert "still talking" in frame.text and [c.text for c in frame.choices] == ["Leave."]


def test_example_pack_checks_clean(tmp_path: Path) -> None:
    result = run_main("check", str(write_example_pack(tmp_path)))
    assert result.status == 0, result.out
    assert "0 errors, 0 warnings (4 scenes, 2 endings)" in result.out


def test_example_pack_plays_both_ways(tmp_path: Path) -> None:
    engine = Engine(load_pack(write_example_pack(tmp_path)))
    left = transcript(engine, 1, [0, 0])
    assert "Mud from the left path" in left and "You are home. Faith 3." in left
    nut_endings = {("A fall in the grass" in transcript(engine, seed, [1, 0][:1])) for seed in range(10)}
    assert nut_endings == {True, False}


def test_every_yaml_snippet_in_the_guide_is_valid_yaml_of_our_loader() -> None:
    from zone.source import parse_text

    for match in FENCED_YAML.finditer(GUIDE.read_text(encoding="utf-8")):
        root, diags = parse_text(match["body"], "authoring.md")
        assert root is not None and not diags, match["body"]


def test_effects_snippet_compiles_against_the_example_story(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(do:\n.*?)```", text, re.S)
    assert snippet is not None
    folder = write_example_pack(tmp_path)
    story = (folder / "story.yaml").read_text()
    (folder / "story.yaml").write_text(story.replace("flags:\n", "flags:\n  voice_heard: A voice was heard\n"))
    effects = snippet.group(1).replace("writer.trust", "guide.faith").replace("stalker.faith", "guide.faith")
    choice = "\n".join("      " + line for line in effects.splitlines())
    walk = (folder / "walk.yaml").read_text()
    walk = walk.replace("    - text: Go home.\n      goto: home\n",
                        "    - text: Go home.\n      goto: home\n    - text: Go home another way.\n"
                        "      goto: home\n" + choice + "\n")
    (folder / "walk.yaml").write_text(walk)
    result = run_main("check", str(folder))
    assert result.status == 0, result.out
