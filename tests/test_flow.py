"""Flow without clicks: conditional destinations (`goto` as a list of ways) and scenes that go on by themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import built_and_cached, run_main, write_pack
from zone.author.playtest import playtest
from zone.author.prove import prove
from zone.engine import Engine
from zone.pack import check_pack
from zone.run import Run

STORY = """\
id: flow
title: Flow
version: "1"
start: foyer
vars:
  cloak: {default: true, about: Whether you wear the cloak}
  fumbles: {default: 0, range: [0, 3], about: How often you stumbled in the dark}
"""

SCENES = """\
foyer:
  title: Foyer
  text: A hall of red velvet.
  choices:
    - text: Hang up the cloak and go south.
      do: cloak = false
      goto:
        - if: cloak
          goto: dark
        - goto: lit
    - text: Go south in the cloak.
      goto:
        - if: cloak
          goto: dark
        - goto: lit
dark:
  title: Darkness
  text: It is pitch dark.
  on_enter: fumbles += 1
  next:
    - if: fumbles >= 2
      goto: lost
    - goto: foyer_again
foyer_again:
  title: Back
  text: You grope your way back to the hall.
  next: foyer
lit:
  title: Bar
  text: A message is scrawled in the sawdust.
  ending: You win
lost:
  title: Lost
  text: The message is trampled beyond reading.
  ending: You lose
"""


def pack(tmp_path: Path, scenes: str = SCENES) -> Path:
    return write_pack(tmp_path, STORY, {"house.yaml": scenes})


def test_a_conditional_goto_takes_the_first_way_that_holds_after_the_choices_effects(tmp_path: Path) -> None:
    story, diags = check_pack(pack(tmp_path))
    assert story is not None and [d.format() for d in diags] == []
    engine = Engine(story)
    run = Run.new(engine, 1)
    assert run.choose(0).scene.id == "lit"  # the cloak was hung up first, so the bar is lit


def test_scenes_that_go_on_by_themselves_are_read_on_the_way_and_cost_no_choice(tmp_path: Path) -> None:
    story, _ = check_pack(pack(tmp_path))
    assert story is not None
    run = Run.new(Engine(story), 1)
    frame = run.choose(1)
    assert frame.scene.id == "foyer"  # dark -> foyer_again -> foyer, without a click
    assert frame.text == "It is pitch dark.\n\nYou grope your way back to the hall.\n\nA hall of red velvet."
    assert run.state.turn == 1 and run.state.values["fumbles"] == 1
    assert run.state.visits["dark"] == 1 and run.state.visits["foyer_again"] == 1
    frame = run.choose(1)
    assert frame.scene.id == "lost" and frame.text.startswith("It is pitch dark.\n\nThe message is trampled")


def test_a_run_through_them_plays_saves_and_continues_in_the_terminal(tmp_path: Path) -> None:
    folder, saves = pack(tmp_path), tmp_path / "saves"
    first = run_main("play", str(folder), "--plain", "--saves", str(saves), stdin="2\n:quit\n")
    assert first.status == 0, first.err
    assert "It is pitch dark.\n\nYou grope your way back to the hall.\n\nA hall of red velvet." in first.out
    resumed = run_main("play", str(folder), "--plain", "--saves", str(saves), "--continue", stdin="2\n")
    assert resumed.status == 0, resumed.err
    assert "You lose" in resumed.out


def test_prove_and_playtest_follow_them(tmp_path: Path) -> None:
    story, _ = check_pack(pack(tmp_path))
    assert story is not None
    proof = prove(story)
    assert proof.complete and proof.endings["lit"] is not None and proof.endings["lost"] is not None
    assert not proof.soft_locks and proof.unreached == ()
    tally = playtest(tmp_path, story, 1, 40)
    assert set(tally["endings"]) == {"lit", "lost"}
    assert set(tally["scenes"]) >= {"foyer", "dark", "foyer_again", "lit", "lost"}


def test_the_compile_cache_keeps_ways_and_next(tmp_path: Path) -> None:
    built, cached = built_and_cached(pack(tmp_path / "p"), tmp_path / "cache")
    for moves in ([0], [1, 1], [1, 0]):
        a, b = Run.new(Engine(built), 2), Run.new(Engine(cached), 2)
        for index in moves:
            assert a.choose(index) == b.choose(index) or a.frame().text == b.frame().text
        assert (a.state.scene, a.state.values) == (b.state.scene, b.state.values)


@pytest.mark.parametrize(("scenes", "code", "line", "fragment"), [
    (SCENES.replace("    - goto: foyer_again\n", "    - if: fumbles > 0\n      goto: foyer_again\n"), "ZN024", 23,
     "tries its ways in order"),
    (SCENES.replace("  next: foyer\n", "  next: dark\n"), "ZN041", 21, "dark -> foyer_again -> dark"),
    (SCENES.replace("  next: foyer\n", "  next: foyer\n  choices: [{text: x, goto: foyer}]\n"), "ZN024", 27,
     "goes on by itself"),
    (SCENES.replace("  next: foyer\n", "  next: foyr\n"), "ZN012", 27, "did you mean 'foyer'"),
])
def test_flow_mistakes_are_refused_where_they_are(tmp_path: Path, scenes: str, code: str, line: int,
                                                  fragment: str) -> None:
    _, diags = check_pack(pack(tmp_path, scenes))
    errors = [d for d in diags if d.is_error]
    assert errors and (errors[0].code, errors[0].pos.line) == (code, line), [d.format() for d in errors]
    assert fragment in errors[0].message
