"""The fast stepper of the authoring tools follows the engine exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BUNDLED, PACKS
from zone.author.machine import Machine
from zone.engine import Engine, random_draw
from zone.pack import check_pack, load_pack


def _packs() -> list[Path]:
    packs = [PACKS / "tiny", PACKS / "prove", PACKS / "broken" / "soft_lock"]
    story, diags = check_pack(BUNDLED)
    if story is not None and not any(d.is_error for d in diags):
        packs.append(BUNDLED)
    return packs


@pytest.mark.parametrize("pack", _packs(), ids=lambda p: p.name)
def test_machine_and_engine_agree_step_by_step(pack: Path) -> None:
    story = load_pack(pack)
    engine, machine = Engine(story), Machine(story)
    for seed in range(60):
        state, sim = engine.start(seed), machine.start(seed)
        for n in range(80):
            assert (sim.scene, sim.values, sim.visits, sim.turn, sim.draws) == (
                state.scene, dict(state.values), dict(state.visits), state.turn, state.draws)
            shown = machine.shown(sim)
            assert [(o.choice, e) for o, e in shown] == engine.visible(state)
            enabled = [i for i, (_, e) in enumerate(shown) if e]
            if not enabled:
                break
            pick = enabled[random_draw(seed, n) % len(enabled)]
            state, sim = engine.choose(state, pick), machine.step(sim, shown[pick][0])


def test_a_forced_branch_is_the_one_the_engine_draws_with_a_matching_seed() -> None:
    story = load_pack(PACKS / "tiny")
    engine, machine = Engine(story), Machine(story)
    throw = machine.shown(machine.start(0))[1][0]
    for seed in range(20):
        sim = machine.start(seed)
        drawn = machine.drawn(sim, throw)
        assert machine.step(sim, throw, drawn).scene == engine.choose(engine.start(seed), 1).scene


def test_start_refuses_a_scene_that_does_not_exist() -> None:
    from zone.errors import StateError

    with pytest.raises(StateError):
        Machine(load_pack(PACKS / "tiny")).start(0, scene="nowhere")
