"""Random outcomes belong to their places: one roll per scene and visit, from the run's seed alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import built_and_cached
from zone.author.prove import prove
from zone.engine import Engine, place_of, place_roll
from zone.pack import check_pack
from zone.state import GameState

PACK = Path(__file__).resolve().parent / "packs" / "rolls"


@pytest.fixture
def engine() -> Engine:
    story, diags = check_pack(PACK)
    assert story is not None and [d.format() for d in diags] == []
    return Engine(story)


def _field(engine: Engine, seed: int, toss_first: bool) -> GameState:
    state = engine.start(seed)
    if toss_first:
        state = engine.choose(engine.choose(state, 0), 0)
    else:
        state = engine.choose(state, 1)
    assert state.scene == "field"
    return state


def test_an_unrelated_earlier_random_choice_does_not_move_a_later_trap(engine: Engine) -> None:
    outcomes = set()
    for seed in range(60):
        direct, tossed = _field(engine, seed, False), _field(engine, seed, True)
        assert tossed.values["coins"] > 0 and tossed.turn == direct.turn + 1
        walked = engine.choose(direct, 1).scene
        assert engine.choose(tossed, 1).scene == walked
        assert engine.choose(tossed, 0).scene == engine.choose(direct, 0).scene
        outcomes.add(walked)
    assert outcomes == {"across", "taken"}


def test_two_choices_with_the_same_weights_in_one_scene_agree(engine: Engine) -> None:
    for seed in range(60):
        field = _field(engine, seed, seed % 2 == 0)
        nut = engine.choose(field, 0).scene
        walk = engine.choose(field, 1).scene
        assert (nut, walk) in {("nut_lands", "across"), ("nut_gone", "taken")}


def test_a_new_visit_is_a_new_roll(engine: Engine) -> None:
    """Back at the field after the nut vanished, the roll is that of the second visit."""
    seen = set()
    for seed in range(200):
        field = _field(engine, seed, False)
        if engine.choose(field, 0).scene != "nut_gone":
            continue
        again = engine.choose(engine.choose(engine.choose(field, 0), 0), 1)
        assert again.scene == "field" and again.visits["field"] == 2
        seen.add(engine.choose(again, 1).scene)
    assert seen == {"across", "taken"}


def test_a_random_next_rolls_like_a_choice_and_costs_no_turn(engine: Engine) -> None:
    ends = set()
    for seed in range(40):
        field = _field(engine, seed, False)
        wind = engine.choose(field, 2)
        state, passed = engine.advance(wind)
        assert passed == ("The wind turns.",) and state.turn == wind.turn
        roll = place_roll(seed, place_of("wind"), 1) % 3
        assert state.scene == ("across" if roll < 1 else "taken")
        ends.add(state.scene)
    assert ends == {"across", "taken"}


def test_a_random_next_survives_the_compile_cache_and_prove_follows_it(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PACK, folder)
    built, cached = built_and_cached(folder, tmp_path / "c")
    assert [o.weight for o in cached.scenes["wind"].choices[0].outcomes] == [1, 2]
    proof = prove(built)
    assert proof.complete and proof.sound and set(proof.endings) == {"across", "taken"}
    for eid, route in proof.endings.items():  # each route replays with its seed, random next included
        assert route is not None and route.seed is not None
        engine = Engine(built)
        state = engine.start(route.seed)
        for index in route.choices:
            state = engine.choose(state, index)
        assert built.scenes[state.scene].ending == built.endings[eid]


def test_the_place_of_a_scene_is_the_same_in_every_process() -> None:
    import subprocess
    import sys

    code = "from zone.engine import place_of; print(place_of('edge_meadow'))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(n)}).stdout for n in (1, 2)}
    assert runs == {f"{place_of('edge_meadow')}\n"}


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**63 - 1), visit=st.integers(1, 50), coins=st.integers(0, 9), turn=st.integers(0, 99),
       earlier=st.dictionaries(st.sampled_from(["road", "road_on", "wind"]), st.integers(1, 9)))
def test_a_roll_reads_only_the_seed_the_scene_and_its_visit(seed: int, visit: int, coins: int, turn: int,
                                                            earlier: dict[str, int]) -> None:
    story, _ = check_pack(PACK)
    assert story is not None
    engine = Engine(story)
    plain = GameState("field", {**story.defaults}, {"field": visit}, 0, seed, ())
    other = GameState("field", {**story.defaults, "coins": coins}, {**earlier, "field": visit}, turn, seed,
                      ("road",))
    throw, walk = story.scenes["field"].choices[:2]
    assert engine.drawn(plain, throw) == engine.drawn(other, throw) == engine.drawn(other, walk)

