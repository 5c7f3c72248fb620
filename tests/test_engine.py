"""The pure engine: frames, choices, random outcomes, determinism and states as plain data."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import PACKS
from zone.engine import Engine, pick_outcome, place_of, place_roll, random_draw
from zone.errors import StateError
from zone.pack import load_pack
from zone.state import GameState
from zone.transcript import transcript


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_pack(PACKS / "tiny"))


def test_start_enters_the_start_scene(engine: Engine) -> None:
    state = engine.start(7)
    assert state.scene == "gate"
    assert state.visits == {"gate": 1}
    assert (state.turn, state.seed, state.stack) == (0, 7, ())
    frame = engine.frame(state)
    assert frame.title == "The gate"
    assert "You have 2 nuts." in frame.text
    assert [c.text for c in frame.choices] == ["Take the left path.", "Throw a nut ahead."]


def test_effects_on_choice_and_on_enter(engine: Engine) -> None:
    state = engine.choose(engine.start(1), 0)
    assert state.scene == "fork"
    assert state.values["flags.took_left"] is True
    assert state.values["guide.faith"] == 3  # on_enter of the fork
    assert state.turn == 1
    assert "The left path was muddy." in engine.frame(state).text


def test_disabled_choice_is_shown_with_its_reason_and_cannot_be_taken(engine: Engine) -> None:
    state = engine.choose(engine.start(1), 0)
    pray = engine.frame(state).choices[1]
    assert (pray.text, pray.enabled, pray.reason) == ("Pray.", False, "The words will not come.")
    with pytest.raises(StateError):
        engine.choose(state, 1)
    with pytest.raises(StateError):
        engine.choose(state, 5)


def test_item_runs_out_and_disables_the_choice(engine: Engine) -> None:
    state = engine.start(1, values={"nuts": 0})
    throw = engine.frame(state).choices[1]
    assert not throw.enabled
    assert throw.reason == "Your pockets are empty."


def test_same_seed_same_run_and_different_seeds_can_differ(engine: Engine) -> None:
    runs = {seed: transcript(engine, seed, [1]) for seed in range(12)}
    assert transcript(engine, 5, [1]) == runs[5]
    endings = {("The fall" in text) for text in runs.values()}
    assert endings == {True, False}  # some seeds fall, some do not


def test_random_draws_are_a_pure_function_of_seed_and_count() -> None:
    assert random_draw(42, 0) == random_draw(42, 0)
    assert len({random_draw(42, n) for n in range(100)}) == 100
    assert random_draw(1, 0) != random_draw(2, 0)


def test_random_outcome_is_the_one_the_scene_roll_picks(engine: Engine) -> None:
    start = engine.start(3)
    choice = engine.frame(start).choices[1].choice
    roll = place_roll(3, place_of(start.scene), 1)
    state = engine.choose(start, 1)
    assert state.scene == choice.outcomes[pick_outcome(choice.outcomes, roll)].goto
    assert state.values["nuts"] == 1
    assert len(state) == 6 and state.stack == ()  # no count of draws: the roll is a function of the place


def test_state_round_trips_through_json_keeping_only_changes(engine: Engine) -> None:
    story = engine.story
    state = engine.choose(engine.start(9), 0)
    data = state.to_dict(story)
    assert data["values"] == {"guide.faith": 3, "flags.took_left": True}
    again = GameState.from_dict(json.loads(json.dumps(data)), story)
    assert again == state


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(scene="nowhere"), "not in this pack"),
        (lambda d: d["values"].update({"guide.faith": 99}), "outside [0, 5]"),
        (lambda d: d["values"].update({"guide.faith": "3"}), "whole number"),
        (lambda d: d["values"].update({"guide.tired": 1}), "true or false"),
        (lambda d: d["values"].update({"writer.trust": 1}), "not declared"),
        (lambda d: d["visits"].update({"moon": 1}), "not in this pack"),
        (lambda d: d.update(turn=-1), "turn"),
        (lambda d: d.update(seed=True), "seed"),
        (lambda d: d.update(extra=1), "unknown fields"),
    ],
)
def test_bad_state_data_is_refused_plainly(engine: Engine, mutate: object, message: str) -> None:
    data = engine.start(1).to_dict(engine.story)
    mutate(data)  # type: ignore[operator]
    with pytest.raises(StateError, match=re.escape(message)):
        GameState.from_dict(data, engine.story)


def test_start_anywhere_with_values(engine: Engine) -> None:
    state = engine.start(1, scene="fork", values={"guide.faith": 4})
    assert state.values["guide.faith"] == 5  # 4, then the fork's on_enter
    assert engine.frame(state).choices[1].enabled
    with pytest.raises(StateError):
        engine.start(1, scene="nowhere")
