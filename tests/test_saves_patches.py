"""The save body: the undo history as patches rebuilds exactly the states the run had."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_saves_slots import MAZE, random_run, story_of
from zone.saves.body import BodyError, body_of, expand_undo
from zone.saves.patches import PatchCache, apply_patch, diff_raw

_names = st.sampled_from(["a", "b", "c", "d.e", "flags.x"])
_values = st.dictionaries(_names, st.one_of(st.integers(-5, 5), st.booleans()), max_size=5)
_visits = st.dictionaries(st.sampled_from(["gate", "fork", "well"]), st.integers(1, 9), max_size=3)
_states = st.fixed_dictionaries({"scene": st.sampled_from(["gate", "fork", "well"]), "values": _values,
                                 "visits": _visits, "turn": st.integers(0, 99), "seed": st.integers(0, 9),
                                 "stack": st.lists(st.sampled_from(["gate", "fork"]), max_size=3)})


@given(_states, _states)
def test_a_patch_turns_the_newer_state_back_into_the_older(older: dict[str, Any], newer: dict[str, Any]) -> None:
    assert apply_patch(newer, diff_raw(older, newer)) == older


def test_the_undo_history_of_a_long_run_is_rebuilt_exactly() -> None:
    run = random_run(MAZE, 400)
    story = story_of(MAZE)
    body = body_of(run)
    rebuilt = expand_undo(body["state"], body["undo"], len(run.choices) + 1)
    assert rebuilt == [s.to_dict(story) for s in run.undo_stack]


def test_patches_from_states_and_from_plain_data_agree() -> None:
    run = random_run(MAZE, 30)
    story = story_of(MAZE)
    plain = [s.to_dict(story) for s in [*run.undo_stack, run.state]]
    assert body_of(run)["undo"] == [diff_raw(a, b) for a, b in zip(plain, plain[1:], strict=False)]


def test_the_cache_gives_the_same_patches_after_more_turns() -> None:
    run = random_run(MAZE, 200)
    cache = PatchCache()
    body_of(run, cache)
    run.choose(0)
    assert body_of(run, cache)["undo"] == body_of(run)["undo"]
    run.undo()
    run.undo()
    assert body_of(run, cache)["undo"] == body_of(run)["undo"]


def test_a_damaged_patch_makes_the_history_unusable_and_says_which() -> None:
    state = {"scene": "gate", "values": {}, "visits": {"gate": 3}, "turn": 3, "seed": 1, "stack": []}
    patches: list[Any] = [{"turn": 0}, "garbage", {"turn": 1, "visits": {"gate": 2}}, {"turn": 2}]
    with pytest.raises(BodyError, match=r"^undo\[1\] must be a patch of the state after it$"):
        expand_undo(state, patches, 4)
    with pytest.raises(BodyError, match="^undo must be a list$"):
        expand_undo(state, "not a list", 4)
    assert apply_patch(state, {"values": []}) is None and apply_patch(state, {"unknown": 1}) is None
