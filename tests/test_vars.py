"""Story-wide values: numbers, true/false and enumerations; display names, percentages and `shown`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PACKS, built_and_cached, run_main, write_pack
from zone.engine import Engine
from zone.model import Stat
from zone.pack import check_pack

STORY = """\
id: vars
title: The Morning
version: "1"
start: bed
characters:
  writer:
    name: The Writer
    stats:
      trust: {name: Trust in you, default: 50, percent: true, about: Trust, shown: visits.road > 0}
vars:
  left_wife: {name: How you left her, values: [asleep, truth, lie, silent], default: asleep, about: How you left}
  rain: {default: 0, range: [0, 3], about: How hard it rains}
  warned: {default: false, about: Whether she warned you}
items:
  nuts: {name: Steel nuts, default: 2, range: [0, 5], about: Nuts, shown: left_wife != asleep}
"""

SCENES = """\
bed:
  title: Bed
  text: "She is {left_wife}."
  choices:
    - text: Tell her the truth.
      do: [left_wife = truth, writer.trust %+ 20]
      goto: road
    - text: Lie.
      do: left_wife = lie
      goto: road
road:
  title: Road
  text: "{if left_wife == truth: You told her. | You did not.} Trust {writer.trust}."
  choices:
    - text: Go on.
      goto: end
end:
  title: End
  text: The end.
  ending: The end
"""


def pack(tmp_path: Path, story: str = STORY, scenes: str = SCENES) -> Path:
    return write_pack(tmp_path, story, {"walk.yaml": scenes})


def test_story_values_are_declared_typed_and_checked_clean(tmp_path: Path) -> None:
    story, diags = check_pack(pack(tmp_path))
    assert story is not None and [d.format() for d in diags] == []
    wife = story.stats["left_wife"]
    assert (wife.type, wife.members, wife.default, wife.label) == (
        "enum:left_wife", ("asleep", "truth", "lie", "silent"), 0, "How you left her")
    assert (story.stats["writer.trust"].lo, story.stats["writer.trust"].hi) == (0, 100)
    assert story.stats["warned"].type == "bool" and story.stats["rain"].hi == 3


def test_a_run_assigns_by_name_steps_fairly_and_shows_what_is_shown_yet(tmp_path: Path) -> None:
    folder = pack(tmp_path)
    played = run_main("play", str(folder), "--plain", "--saves", str(tmp_path / "saves"),
                      stdin=":status\n1\n:status\n")
    assert played.status == 0, played.err
    first, second = played.out.split("You chose: Tell her the truth.")
    assert "She is asleep." in first
    assert "Trust in you" not in first and "Steel nuts" not in first  # not shown yet
    assert "The Morning\n  How you left her: asleep" in first
    assert "You told her. Trust 60." in second
    assert "The Writer\n  Trust in you: 60 of 100" in second
    assert "How you left her: truth" in second and "Steel nuts: 2" in second


def test_an_enumeration_is_a_plain_number_in_a_save(tmp_path: Path) -> None:
    folder = pack(tmp_path)
    saves = tmp_path / "saves"
    run_main("play", str(folder), "--plain", "--saves", str(saves), stdin="2\n:quit\n")
    body = json.loads(next(saves.glob("autosave-*.json")).read_text())["body"]
    assert body["state"]["values"]["left_wife"] == 2


@pytest.mark.parametrize(("story", "code", "line", "fragment"), [
    (STORY.replace("default: asleep", "default: asleap"), "ZN024", 11, "did you mean 'asleep'"),
    (STORY.replace("values: [asleep, truth, lie, silent]", "values: [asleep]"), "ZN010", 11, "at least two"),
    (STORY.replace("values: [asleep, truth, lie, silent]", "values: [asleep, truth, asleep]"), "ZN028", 11,
     "declared twice"),
    (STORY.replace("percent: true,", "percent: true, range: [0, 10],"), "ZN024", 9, "leave out 'range'"),
    (STORY.replace("shown: visits.road > 0", "shown: visits.raod > 0"), "ZN016", 9, "did you mean 'road'"),
    (STORY.replace("  rain:", "  turn:"), "ZN023", 12, "'turn'"),
])
def test_declaration_mistakes_are_refused_where_they_are(tmp_path: Path, story: str, code: str, line: int,
                                                        fragment: str) -> None:
    _, diags = check_pack(pack(tmp_path, story))
    errors = [d for d in diags if d.is_error]
    assert errors and errors[0].code == code and errors[0].pos.line == line, [d.format() for d in errors]
    assert fragment in errors[0].message


@pytest.mark.parametrize(("story", "line", "col", "fragment"), [
    (STORY.replace("default: asleep", "default: asleap"), 11, 86, "did you mean 'asleep'"),
    (STORY.replace("default: 50, percent: true", "default: 150, percent: true"), 9, 44, "outside its range"),
])
def test_a_value_declared_with_a_mistake_is_still_known_where_it_is_used(tmp_path: Path, story: str, line: int,
                                                                        col: int, fragment: str) -> None:
    """Only the declaration is wrong: its uses (text, conditions, effects) say nothing more."""
    _, diags = check_pack(pack(tmp_path, story))
    assert [(d.code, d.pos.line, d.pos.col) for d in diags] == [("ZN024", line, col)], [d.format() for d in diags]
    assert fragment in diags[0].message


def test_comparing_with_a_value_that_does_not_exist_says_which_exist(tmp_path: Path) -> None:
    _, diags = check_pack(pack(tmp_path, scenes=SCENES.replace("left_wife == truth", "left_wife == trth")))
    assert [(d.code, d.pos.line) for d in diags] == [("ZN022", 13)]
    assert "'left_wife' is one of asleep, truth, lie, silent (did you mean 'truth'?)" in diags[0].message


def test_the_compile_cache_keeps_every_declaration(tmp_path: Path) -> None:
    built, cached = built_and_cached(pack(tmp_path / "p"), tmp_path / "cache")
    def declared(stat: Stat) -> tuple[object, ...]:
        return (stat.key, stat.type, stat.members, stat.label, stat.lo, stat.hi, stat.default,
                None if stat.shown_when is None else stat.shown_when.source)

    assert [declared(s) for s in cached.stats.values()] == [declared(s) for s in built.stats.values()]
    assert cached.stats["nuts"].shown_when is not None
    engine = Engine(cached)
    state = engine.start(1)
    assert engine.frame(state).text == "She is asleep."


def test_a_choice_that_changes_what_status_shows_says_so_in_the_authors_words_or_plainly(tmp_path: Path) -> None:
    story = STORY.replace("about: Trust, shown:", "about: Trust, rises: The Writer looks at you a little longer., "
                                                     "shown:")
    folder = pack(tmp_path, story)
    played = run_main("play", str(folder), "--plain", "--saves", str(tmp_path / "a"), stdin="1\n")
    after = played.out.split("You chose: Tell her the truth.", 1)[1]
    assert after.index("The Writer looks at you a little longer.") < after.index("== ")
    assert "How you left her: truth." in after
    assert "Steel nuts" not in after.split("== ")[0]  # unchanged values say nothing
    quiet = run_main("play", str(folder), "--plain", "--saves", str(tmp_path / "b"), stdin=":notes off\n1\n")
    assert "Notes are off." in quiet.out
    assert "How you left her: truth." not in quiet.out.split("You chose: Tell her the truth.", 1)[1]


def test_a_neutral_note_names_the_character_and_the_new_value(tmp_path: Path) -> None:
    from zone.tui.view import changes_of

    story, _ = check_pack(pack(tmp_path))
    assert story is not None
    engine = Engine(story)
    before = engine.start(1)
    after = engine.choose(before, 0)
    assert changes_of(story, before, after) == ("The Writer: Trust in you rises to 60.", "How you left her: truth.")


def test_an_item_s_note_reads_as_a_count_not_as_a_level(tmp_path: Path) -> None:
    played = run_main("play", str(PACKS / "tiny"), "--plain", "--seed", "3", "--saves", str(tmp_path), stdin="2\n")
    after = played.out.split("You chose: Throw a nut ahead.", 1)[1]
    assert "Nuts: 1 (was 2)." in after and "Nuts falls" not in after


def test_an_enumeration_is_set_from_the_command_line_by_the_name_of_its_value(tmp_path: Path) -> None:
    folder = pack(tmp_path)
    played = run_main("play", str(folder), "--plain", "--saves", str(tmp_path / "s"), "--set", "left_wife=lie",
                      stdin=":status\n")
    assert played.status == 0, played.err
    assert "She is lie." in played.out and "How you left her: lie" in played.out
    wrong = run_main("play", str(folder), "--plain", "--set", "left_wife=lye")
    assert (wrong.status, wrong.err) == (2, "zone: --set: left_wife is one of asleep, truth, lie, silent, not 'lye' "
                                            "(did you mean 'lie'?)\n")


def test_playtest_names_the_values_an_enumeration_took_at_each_ending(tmp_path: Path) -> None:
    report = run_main("playtest", str(pack(tmp_path)), "--runs", "20")
    ranges = next(line for line in report.out.splitlines() if "How you left her" in line)
    assert "How you left her truth..lie" in ranges, ranges  # its names, not the numbers a save keeps
