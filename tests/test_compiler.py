"""Compile and validate: every problem is collected with its code and exact position."""

from __future__ import annotations

from pathlib import Path

import pytest

from zone.diagnostics import Diagnostic
from zone.pack import check_pack

STORY = """\
id: t
title: T
version: "1"
start: a
characters:
  guide:
    name: Guide
    stats:
      faith: {default: 1, range: [0, 5], about: Faith}
flags:
  seen: Seen
"""


def diags(tmp_path: Path, scenes: dict[str, str], story: str = STORY) -> list[Diagnostic]:
    (tmp_path / "story.yaml").write_text(story)
    for name, text in scenes.items():
        (tmp_path / name).write_text(text)
    return check_pack(tmp_path)[1]


def where(found: list[Diagnostic]) -> list[tuple[str, str, int, int]]:
    return [(d.code, Path(d.pos.file).name, d.pos.line, d.pos.col) for d in found]


END = "end:\n  title: End\n  text: Done.\n  ending: The end\n"


def test_unknown_goto_with_suggestion(tmp_path: Path) -> None:
    scene = "a:\n  title: A\n  text: x\n  choices:\n    - text: go\n      goto: edn\n"
    found = diags(tmp_path, {"a.yaml": scene + END})
    assert where(found) == [("ZN012", "a.yaml", 6, 13)]
    assert found[0].message == "unknown scene 'edn' (did you mean 'end'?)"
    assert found[0].format().endswith("a.yaml:6:13: error ZN012: unknown scene 'edn' (did you mean 'end'?)")


def test_duplicate_scene_across_files_names_the_first(tmp_path: Path) -> None:
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: x\n  choices:\n    - {text: go, goto: end}\n" + END,
                             "b.yaml": END})
    assert where(found) == [("ZN013", "b.yaml", 1, 1)]
    assert "first at " in found[0].message and "a.yaml:6:1" in found[0].message


def test_unknown_key_did_you_mean(tmp_path: Path) -> None:
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  txet: x\n  choices:\n    - {text: go, goto: end}\n" + END})
    codes = where(found)
    assert ("ZN011", "a.yaml", 3, 3) in codes
    assert any(d.message == "unknown key 'txet' in scene 'a' (did you mean 'text'?)" for d in found)
    assert ("ZN014", "a.yaml", 2, 3) in codes  # text is missing


def test_undeclared_names_and_type_errors(tmp_path: Path) -> None:
    scene = ("a:\n  title: A\n  text: x\n  choices:\n"
             "    - {text: one, goto: end, if: flags.sen}\n"
             "    - {text: two, goto: end, do: guide.faith = flags.seen}\n"
             "    - {text: three, goto: end, if: guide.faith}\n"
             "    - {text: four, goto: end}\n")
    found = diags(tmp_path, {"a.yaml": scene + END})
    assert [(d.code, d.pos.line) for d in found] == [("ZN016", 5), ("ZN017", 6), ("ZN017", 7)]
    assert "did you mean 'flags.seen'" in found[0].message


def test_missing_start_and_dead_end_and_unreachable(tmp_path: Path) -> None:
    story = STORY.replace("start: a", "start: b")
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: x\n" + END}, story)
    assert where(found) == [("ZN018", "story.yaml", 4, 8)]
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: x\n" + END})
    assert [(d.code, d.severity.value) for d in found] == [("ZN020", "error"), ("ZN019", "warning")]
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: x\n  choices:\n    - {text: go, goto: end}\n" + END
                             + "lost:\n  title: Lost\n  text: gone\n  ending: Lost\n"})
    assert [(d.code, d.severity.value, d.pos.line) for d in found] == [("ZN019", "warning", 11)]


def test_bad_interpolation(tmp_path: Path) -> None:
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: Faith {guide.fath}.\n  choices:\n"
                             "    - {text: go, goto: end}\n" + END})
    assert where(found) == [("ZN022", "a.yaml", 3, 9)]
    assert "unknown name '{guide.fath}'" in found[0].message


@pytest.mark.parametrize(
    ("story_patch", "code"),
    [
        (("version: \"1\"", "version: 1.0"), "ZN010"),
        (("default: 1, range: [0, 5]", "default: 9, range: [0, 5]"), "ZN024"),
        (("default: 1, range: [0, 5]", "default: 1"), "ZN014"),
        (("  seen: Seen", "  seen: Seen\n  Bad-Name: x"), "ZN023"),
        (("  seen: Seen", "  seen: Seen\n  seen: again"), "ZN005"),
    ],
)
def test_story_file_problems(tmp_path: Path, story_patch: tuple[str, str], code: str) -> None:
    story = STORY.replace(*story_patch)
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: x\n  choices:\n    - {text: go, goto: end}\n" + END},
                  story)
    assert code in [d.code for d in found]


def test_choice_needs_goto_or_random_and_weights_are_positive(tmp_path: Path) -> None:
    scene = ("a:\n  title: A\n  text: x\n  choices:\n    - {text: one}\n"
             "    - text: two\n      random:\n        - {weight: 0, goto: end}\n")
    found = diags(tmp_path, {"a.yaml": scene + END})
    assert [(d.code, d.pos.line) for d in found] == [("ZN025", 5), ("ZN024", 8)]


def test_all_problems_are_collected_not_only_the_first(tmp_path: Path) -> None:
    scene = ("a:\n  title: A\n  text: x\n  choices:\n    - {text: one, goto: nowhere}\n"
             "    - {text: two, goto: end, if: nuts > 1}\n    - {text: three, goto: end, colour: red}\n")
    found = diags(tmp_path, {"a.yaml": scene + END})
    assert [d.code for d in found] == ["ZN012", "ZN016", "ZN011"]
