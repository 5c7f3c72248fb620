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


def test_a_single_equals_in_a_condition_or_a_double_one_in_an_effect_says_which_compares(tmp_path: Path) -> None:
    scene = ("a:\n  title: A\n  text: x\n  choices:\n"
             "    - text: one\n      if: guide.faith = 1\n      goto: end\n"
             "    - text: two\n      do: guide.faith == 2\n      goto: end\n"
             "    - text: three\n      if: guide.faith => 2\n      goto: end\n")
    found = diags(tmp_path, {"a.yaml": scene + END})
    assert where(found) == [("ZN015", "a.yaml", 6, 23), ("ZN015", "a.yaml", 9, 23), ("ZN015", "a.yaml", 12, 23)]
    assert "a condition compares with '=='" in found[0].message and "write 'guide.faith == 1'" in found[0].message
    assert "'==' compares, and an effect sets a value with '='" in found[1].message
    assert "write 'guide.faith = 2'" in found[1].message
    assert "write '>='" in found[2].message


def test_a_mistake_in_a_quoted_condition_is_reported_at_its_own_column(tmp_path: Path) -> None:
    scene = "a:\n  title: A\n  text: x\n  choices:\n    - text: one\n      if: \"guide.faith > 0 and nust\"\n" \
            "      goto: end\n"
    found = diags(tmp_path, {"a.yaml": scene + END})
    assert where(found) == [("ZN016", "a.yaml", 6, 32)]
    assert "unknown name 'nust'" in found[0].message


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
    assert where(found) == [("ZN022", "a.yaml", 3, 16)]  # at the name itself
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


# -- a pack with files that cannot be read -----------------------------------------------------------
GO_B = "a:\n  title: A\n  text: x\n  choices:\n    - {text: go, goto: b}\n    - {text: stay, goto: end}\n"
BROKEN = "b:\n  title: B\n  text: [Bye\n  ending: End\n"


def test_a_goto_into_a_file_that_cannot_be_read_names_that_file(tmp_path: Path) -> None:
    found = diags(tmp_path, {"a.yaml": GO_B + END, "b.yaml": BROKEN})
    assert where(found) == [("ZN036", "a.yaml", 5, 24), ("ZN004", "b.yaml", 4, 9)]
    assert found[0].message == "unknown scene 'b'; b.yaml could not be read"


def test_a_goto_when_other_files_cannot_be_read_lists_them(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_bytes(b"x: \xff\n")
    found = diags(tmp_path, {"a.yaml": GO_B + END, "c.yaml": BROKEN})
    assert [d.message for d in found if d.code == "ZN036"] == ["unknown scene 'b'; c.yaml and d.yaml could not be read"]
    assert {d.code for d in found} == {"ZN036", "ZN004", "ZN003"}


def test_many_files_that_cannot_be_read_are_counted(tmp_path: Path) -> None:
    for name in ("c", "d", "e", "f"):
        (tmp_path / f"{name}.yaml").write_text(BROKEN.replace("b:", f"{name}:"))
    found = diags(tmp_path, {"a.yaml": GO_B.replace("goto: b", "goto: edn") + END})
    assert [d.message for d in found if d.code == "ZN036"] == [
        "unknown scene 'edn' (did you mean 'end'?); c.yaml, d.yaml and 2 other files could not be read"]


def test_the_start_and_visits_in_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    scene = "z:\n  title: Z\n  text: x\n  choices:\n    - {text: go, goto: end, if: visits.a > 0}\n"
    found = diags(tmp_path, {"a.yaml": BROKEN.replace("b:", "a:"), "z.yaml": scene + END})
    assert [(d.code, Path(d.pos.file).name, d.message) for d in found if d.code == "ZN036"] == [
        ("ZN036", "story.yaml", "unknown scene 'a'; a.yaml could not be read"),
        ("ZN036", "z.yaml", "unknown scene 'a'; a.yaml could not be read")]


def test_an_unreadable_story_file_does_not_make_every_name_unknown(tmp_path: Path) -> None:
    scene = "a:\n  title: A\n  text: x {nuts}\n  choices:\n    - {text: go, goto: end, if: guide.faith > 1}\n"
    found = diags(tmp_path, {"a.yaml": scene + END}, STORY + "broken: [\n")
    assert [d.code for d in found] == ["ZN004"]


def test_the_story_of_a_pack_with_errors_is_what_could_be_built(tmp_path: Path) -> None:
    from zone.author.graph import to_dot
    from zone.author.stats import pack_stats
    from zone.validate import reachable_scenes

    scene = GO_B.replace("{text: stay, goto: end}", "text: random\n      random: [{goto: b}, {goto: end}]")
    (tmp_path / "story.yaml").write_text(STORY)
    (tmp_path / "a.yaml").write_text(scene + END)
    (tmp_path / "b.yaml").write_text(BROKEN)
    story, found = check_pack(tmp_path)
    assert story is not None and any(d.is_error for d in found)
    assert set(story.scenes) == {"a", "end"} and story.start == "a"
    (choice,) = story.scenes["a"].choices  # the goto to 'b' is left out, and the random outcome to 'b'
    assert [o.goto for o in choice.outcomes] == ["end"]
    assert reachable_scenes(story) == {"a", "end"}
    assert pack_stats(story).total.scenes == 2 and '"a" -> "end"' in to_dot(story)


def test_an_empty_story_file_is_refused_and_names_are_not_called_unknown(tmp_path: Path) -> None:
    scene = "a:\n  title: A\n  text: x {nuts}\n  choices:\n    - {text: go, goto: end, if: guide.faith > 1}\n"
    found = diags(tmp_path, {"a.yaml": scene + END}, "# nothing yet\n")
    assert where(found) == [("ZN037", "story.yaml", 1, 1)]
    assert found[0].message == "story.yaml is empty: a pack needs its id, title, version and start"


@pytest.mark.parametrize("scenes", [{}, {"a.yaml": ""}, {"a.yaml": "# later\n"}])
def test_a_pack_without_scenes_is_refused(tmp_path: Path, scenes: dict[str, str]) -> None:
    found = diags(tmp_path, scenes)
    assert [d.code for d in found] == ["ZN038", "ZN018"]  # and the start it names is missing
    assert found[0].format().endswith("story.yaml: error ZN038: the pack has no scenes: write them in .yaml "
                                      "files beside story.yaml")


def test_a_scene_with_too_many_choices_is_warned_about(tmp_path: Path) -> None:
    from zone.validate import MAX_CHOICES

    many = "".join(f"    - {{text: go {n}, goto: end}}\n" for n in range(MAX_CHOICES + 1))
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: x\n  choices:\n" + many + END})
    assert where(found) == [("ZN040", "a.yaml", 2, 3)]
    assert found[0].message == "scene 'a' has 101 choices; the limit is 100: split it into scenes"
    enough = "".join(f"    - {{text: go {n}, goto: end}}\n" for n in range(MAX_CHOICES))
    assert diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: x\n  choices:\n" + enough + END}) == []


def test_every_tool_takes_a_story_whose_start_could_not_be_read(tmp_path: Path) -> None:
    from zone.author.graph import to_dot, to_mermaid
    from zone.author.lint import lint
    from zone.author.playtest import play_chunk
    from zone.author.prove import prove
    from zone.author.stats import pack_stats
    from zone.engine import Engine
    from zone.errors import StateError
    from zone.validate import validate

    (tmp_path / "story.yaml").write_text(STORY)
    (tmp_path / "a.yaml").write_text(BROKEN.replace("b:", "a:"))
    (tmp_path / "z.yaml").write_text("z:\n  title: Z\n  text: x\n  choices:\n    - {text: back, goto: a}\n"
                                     "    - {text: onward, goto: end}\n" + END)
    story, found = check_pack(tmp_path)
    assert story is not None and story.start == "a" and set(story.scenes) == {"z", "end"}
    assert [r.shortest for r in pack_stats(story).routes] == [None]
    assert '"z" -> "end"' in to_dot(story) and "s_z" in to_mermaid(story)
    assert [d.code for d in validate(story)] == ["ZN019", "ZN019"]
    assert [d.code for d in lint(story)] == ["ZN031", "ZN031"]  # unused stat and flag; nothing to explore
    with pytest.raises(StateError, match="there is no scene 'a' in this pack"):
        prove(story)
    with pytest.raises(StateError, match="there is no scene 'a' in this pack"):
        play_chunk(Engine(story), 1, 5)


@pytest.mark.parametrize(
    ("story_patch", "name"),
    [
        (("  guide:\n", "  true:\n    name: T\n    stats: {}\n  guide:\n"), "true"),
        (("  seen: Seen", "  seen: Seen\n  turn: A flag named like the turn"), "turn"),
        (("flags:\n", "items:\n  items: {default: 0, range: [0, 5]}\n  guide: {default: 0, range: [0, 5]}\n"
          "flags:\n"), "items"),
        (("flags:\n", "items:\n  guide: {default: 0, range: [0, 5]}\nflags:\n"), "guide"),
    ],
)
def test_characters_flags_and_items_refuse_the_same_reserved_names(tmp_path: Path, story_patch: tuple[str, str],
                                                                    name: str) -> None:
    found = diags(tmp_path, {"a.yaml": "a:\n  title: A\n  text: x\n  choices:\n    - {text: go, goto: end}\n" + END},
                  STORY.replace(*story_patch))
    assert any(d.code == "ZN023" and f"'{name}'" in d.message for d in found)
