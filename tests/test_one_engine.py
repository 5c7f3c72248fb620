"""One engine, observably: the player's API, playtest's driver and prove's stepping agree at every step."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, PACKS
from zone.author.playtest import _Player
from zone.author.relevance import KeyCodec
from zone.engine import Engine, Option
from zone.pack import load_pack
from zone.state import GameState

RUNS = 2000


class _Recording(_Player):
    """Playtest's own driver, keeping every state it stepped through and every choice it made."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, 120)
        self.runs: dict[int, list[tuple[GameState, int]]] = {}
        self.seed = -1

    def enter(self, sim: GameState) -> None:
        self.runs.setdefault(self.seed, []).append((sim, -1))
        super().enter(sim)

    def pick(self, sim: GameState, seed: int, n: int, enabled: list[tuple[int, Option, str]],
             chunk_taken: Counter[str]) -> tuple[int, Option, str]:
        picked = super().pick(sim, seed, n, enabled, chunk_taken)
        trail = self.runs[seed]
        trail[-1] = (trail[-1][0], picked[0])
        return picked


def _plain(state: GameState) -> tuple[object, ...]:
    return state.scene, dict(state.values), dict(state.visits), state.turn, state.stack


@pytest.mark.parametrize(("pack", "runs"), [(PACKS / "prove", RUNS // 4), (PACKS / "tiny", RUNS // 4),
                                            (BUNDLED, RUNS // 2)], ids=lambda p: getattr(p, "name", str(p)))
def test_player_playtest_and_prove_take_the_same_steps(pack: Path, runs: int) -> None:
    story = load_pack(pack)
    engine, codec = Engine(story), KeyCodec(story)
    player = _Recording(engine)
    taken: Counter[str] = Counter()
    for seed in range(runs):
        player.seed = seed
        player.run(seed, taken)
    assert len(player.runs) == runs
    endings = 0
    for seed, trail in player.runs.items():
        state = proved = engine.start(seed)
        for expected, number in trail:
            assert _plain(state) == _plain(proved) == _plain(expected)
            if number < 0:
                break
            frame = engine.frame(state)
            state = engine.choose(state, number, frame)  # the player
            option, enabled = engine.options(proved)[number]  # prove: a forced outcome, and by key
            assert enabled and option.choice is frame.choices[number].choice
            outcome = engine.drawn(proved, option.choice) if option.choice.outcomes else None
            by_key = codec.decode(codec.encode(proved))
            key_option, _ = engine.options(by_key)[number]
            assert key_option is option
            proved = engine.take(proved, option.choice, outcome)
            assert codec.encode(engine.take(by_key, option.choice, outcome)) == codec.encode(proved)
        assert story.scenes[state.scene].ending == story.scenes[trail[-1][0].scene].ending
        endings += story.scenes[state.scene].ending is not None
    assert endings > runs // 2


def test_the_paths_the_envelope_reads_are_the_steps_take_runs() -> None:
    story = load_pack(BUNDLED)
    engine = Engine(story)
    for seed in range(40):
        state = engine.start(seed)
        for n in range(60):
            shown = [o for o, enabled in engine.options(state) if enabled]
            if not shown:
                break
            choice = shown[(seed + n) % len(shown)].choice
            paths = list(enumerate(engine.paths(choice)))
            if choice.branches:  # ways tried in order: only the first whose condition holds is a step take runs
                values = dict(state.values)
                env = GameState(state.scene, values, state.visits, state.turn, state.seed, state.stack)
                for effect in choice.effects:
                    effect.apply(values, env)
                paths = [next(p for p, b in zip(paths, choice.branches, strict=True)
                              if b.condition is None or b.condition.fn(env))]
            for outcome, (effects, target) in paths:
                forced = outcome if choice.outcomes else None
                values = dict(state.values)
                env = GameState(state.scene, values, state.visits, state.turn, state.seed, state.stack)
                for effect in effects:
                    effect.apply(values, env)
                turn = state.turn if choice.auto or choice.fallback else state.turn + 1  # `next` is no choice
                entered = GameState(target, values, dict(state.visits), turn, state.seed, ())
                entered.visits[target] = entered.visits.get(target, 0) + 1  # type: ignore[index]
                for effect in story.scenes[target].on_enter:
                    effect.apply(values, entered)
                taken = engine.take(state, choice, forced)
                assert (taken.scene, dict(taken.values), dict(taken.visits), taken.turn) == (
                    target, values, entered.visits, entered.turn)
            state = engine.take(state, choice)
