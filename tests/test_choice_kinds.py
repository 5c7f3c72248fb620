"""Once-only choices, gone once taken, and fallbacks, taken by themselves when nothing else can be."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import built_and_cached, run_main, write_pack
from zone.author.lint import lint
from zone.author.prove import prove
from zone.engine import Engine
from zone.pack import check_pack
from zone.run import Run

STORY = """\
id: kinds
title: Kinds
version: "1"
start: room
items:
  nuts: {default: 1, range: [0, 3], about: Nuts}
"""

SCENES = """\
room:
  title: Room
  text: A bare room.
  choices:
    - text: Read the note.
      once: true
      goto: room
    - text: Throw a nut.
      if: nuts > 0
      do: nuts -= 1
      goto: room
    - text: Sit and wait.
      fallback: true
      goto: out
out:
  title: Out
  text: You give up and leave.
  ending: Out
"""


def pack(tmp_path: Path, scenes: str = SCENES) -> Path:
    return write_pack(tmp_path, STORY, {"room.yaml": scenes})


def texts(run: Run) -> list[str]:
    return [c.text for c in run.frame().choices]


def test_a_once_only_choice_is_gone_after_it_is_taken_and_a_fallback_waits_for_nothing_else(tmp_path: Path) -> None:
    story, diags = check_pack(pack(tmp_path))
    assert story is not None and [d.format() for d in diags] == []
    run = Run.new(Engine(story), 1)
    assert texts(run) == ["Read the note.", "Throw a nut."]  # the fallback waits
    run.choose(0)
    assert texts(run) == ["Throw a nut."]  # read once, gone
    frame = run.choose(0)
    # no nut left and the note read: nothing else can be taken, so the fallback is taken by itself
    assert frame.scene.id == "out" and frame.text == "A bare room.\n\nYou give up and leave."
    assert run.state.turn == 2


def test_a_fallback_is_shown_beside_disabled_choices_only_when_taken_by_itself_fails(tmp_path: Path) -> None:
    story, _ = check_pack(pack(tmp_path))
    assert story is not None
    engine = Engine(story)
    state = engine.start(1, values={"nuts": 0})
    shown = [(o.choice.text.source, can) for o, can in engine.options(state)]
    assert shown == [("Read the note.", True), ("Throw a nut.", False)]


def test_tools_and_the_cache_understand_both(tmp_path: Path) -> None:
    built, cached = built_and_cached(pack(tmp_path / "p"), tmp_path / "cache")
    assert [d.code for d in lint(built)] == []
    proof = prove(built)
    assert proof.complete and proof.endings["out"] is not None and not proof.soft_locks
    a, b = Run.new(Engine(built), 3), Run.new(Engine(cached), 3)
    for _ in range(2):
        assert a.choose(0).text == b.choose(0).text
    assert a.state.values == b.state.values


def test_a_once_only_choice_stays_gone_after_a_save_and_continue(tmp_path: Path) -> None:
    folder, saves = pack(tmp_path), tmp_path / "saves"
    run_main("play", str(folder), "--plain", "--saves", str(saves), stdin="1\n:quit\n")
    resumed = run_main("play", str(folder), "--plain", "--saves", str(saves), "--continue", stdin="1\n")
    assert resumed.status == 0, resumed.err
    assert "Read the note." not in resumed.out.split("A bare room.", 1)[1]
    assert "You give up and leave." in resumed.out


@pytest.mark.parametrize(("scenes", "fragment"), [
    (SCENES.replace("      once: true\n", "      once: yes please\n"), "true or false"),
    ("room:\n  title: R\n  text: x\n  choices:\n    - {text: Wait., fallback: true, goto: out}\n" + SCENES[
        SCENES.index("out:"):], "has only a fallback choice"),
])
def test_kind_mistakes_are_refused(tmp_path: Path, scenes: str, fragment: str) -> None:
    _, diags = check_pack(pack(tmp_path, scenes))
    assert any(fragment in d.message for d in diags if d.is_error), [d.format() for d in diags]


LOCKED = """\
room:
  title: Room
  text: A bare room.
  choices:
    - text: Sit.
      if: nuts > 5
      goto: room
    - text: Read the note.
      once: true
      goto: hall
hall:
  title: Hall
  text: A hall.
  choices:
    - text: Back.
      goto: room
    - text: Out.
      if: nuts > 0
      do: nuts -= 1
      goto: out
out:
  title: Out
  text: You leave.
  ending: Out
"""


def test_prove_and_playtest_name_a_once_only_choice_as_the_game_numbers_it(tmp_path: Path) -> None:
    folder = pack(tmp_path, LOCKED)
    proved = run_main("prove", str(folder))
    assert "there: nuts=1, choice 2 of scene 'room' taken=yes" in proved.out, proved.out
    played = run_main("playtest", str(folder), "--runs", "50")
    assert "choice 2 of scene 'room' taken yes" in played.out, played.out
    assert "once.room_1" not in proved.out + played.out
