"""The one replay loop: the states and frames it meets, where it stops and why."""

from __future__ import annotations

import functools

from tests.conftest import PACKS
from zone.engine import Engine
from zone.pack import load_pack
from zone.replay import Stop, refusal, replay_choices
from zone.state import GameState


@functools.cache
def tiny() -> Engine:
    return Engine(load_pack(PACKS / "tiny"))


def test_every_choice_taken_gives_one_state_and_frame_more_than_choices() -> None:
    engine = tiny()
    replayed = replay_choices(engine, engine.start(1), [0, 0])
    assert replayed.complete and replayed.reason is Stop.DONE
    assert replayed.stopped_at == 2 and replayed.choices == (0, 0)
    assert [s.scene for s in replayed.states] == ["gate", "fork", "home"]
    assert [f.scene.id for f in replayed.frames] == ["gate", "fork", "home"]
    assert replayed.state.scene == "home" and replayed.frame.ending is not None


def test_a_choice_that_is_not_there_stops_the_replay_before_it() -> None:
    engine = tiny()
    replayed = replay_choices(engine, engine.start(1), [0, 5, 0])
    assert replayed.reason is Stop.NO_SUCH_CHOICE
    assert replayed.stopped_at == 1 and replayed.state.scene == "fork" and len(replayed.states) == 2


def test_a_disabled_choice_stops_the_replay() -> None:
    engine = tiny()
    replayed = replay_choices(engine, engine.start(1), [0, 1])
    assert replayed.reason is Stop.DISABLED and replayed.stopped_at == 1


def test_an_ending_reached_early_is_its_own_reason() -> None:
    engine = tiny()
    replayed = replay_choices(engine, engine.start(1), [0, 0, 0])
    assert replayed.reason is Stop.ENDED and replayed.stopped_at == 2 and replayed.state.scene == "home"


def test_the_limit_stops_a_replay_and_a_single_step() -> None:
    engine = tiny()
    replayed = replay_choices(engine, engine.start(1), [0, 0], limit=1)
    assert replayed.reason is Stop.LIMIT and replayed.stopped_at == 1
    frame = engine.frame(engine.start(1))
    assert refusal(frame, 0, taken=5, limit=5) is Stop.LIMIT
    assert refusal(frame, 0) is None


def test_through_is_applied_after_every_step() -> None:
    engine = tiny()
    seen: list[str] = []

    def note(state: GameState) -> GameState:
        seen.append(state.scene)
        return state

    replay_choices(engine, engine.start(1), [0, 0], through=note)
    assert seen == ["fork", "home"]
