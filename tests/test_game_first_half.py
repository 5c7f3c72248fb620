"""The bundled game's first half (home to the direct path): every choice answered, narration that never
contradicts what the player chose, an arrest at the cordon that follows play, and a Writer who walks the
straight way because he does not trust the Stalker.

Runs are played through the engine (`Engine.options`, `take`, `advance`, `frame`) and by the playtest
(`zone.author.playtest`), never by reading the terminal.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from zone.author.playtest import playtest
from zone.engine import Engine
from zone.model import Choice, Story
from zone.pack import load_pack
from zone.state import GameState

FIRST_HALF = ("home", "bar", "cordon", "railway", "edge", "direct_path")

# A picker sees the state and the enabled choices and returns one of them.
Picker = Callable[[GameState, list[Choice]], Choice]


@pytest.fixture(scope="module")
def story() -> Story:
    return load_pack(BUNDLED)


@pytest.fixture(scope="module")
def engine(story: Story) -> Engine:
    return Engine(story)


def _in_first_half(story: Story, scene: str) -> bool:
    return Path(story.scenes[scene].file).stem in FIRST_HALF


def _walk(engine: Engine, seed: int, pick: Picker) -> Iterator[tuple[GameState, str]]:
    """Each state a player chooses in (or ends in) through the first half, with the text on screen."""
    story = engine.story
    state, passed = engine.advance(engine.start(seed))
    while _in_first_half(story, state.scene):
        yield state, engine.frame(state, passed).text
        if story.scenes[state.scene].ending is not None:
            return
        enabled = [o.choice for o, ok in engine.options(state) if ok]
        state, passed = engine.advance(engine.take(state, pick(state, enabled)))
    yield state, engine.frame(state, passed).text  # the first scene past the half: its opening answers too


def _random_picker(seed: int) -> Picker:
    rng = random.Random(seed)
    return lambda _state, enabled: rng.choice(enabled)


def _preferring(engine: Engine, seed: int, *starts: str) -> Picker:
    """Takes the first enabled choice whose text begins with one of `starts` (in their order), else a random one."""
    rng = random.Random(seed)

    def pick(state: GameState, enabled: list[Choice]) -> Choice:
        for start in starts:
            for choice in enabled:
                if engine.render(choice.text, state).startswith(start):
                    return choice
        return rng.choice(enabled)

    return pick


def _runs(engine: Engine, count: int, first_seed: int = 0) -> list[list[tuple[GameState, str]]]:
    return [list(_walk(engine, seed, _random_picker(seed))) for seed in range(first_seed, first_seed + count)]


def test_two_choices_of_a_first_half_scene_never_lead_to_the_same_words(engine: Engine) -> None:
    story = engine.story
    seen: set[tuple[str, tuple[tuple[str, object], ...]]] = set()
    same: list[str] = []
    for run in _runs(engine, 150):
        for state, _text in run[:-1]:
            key = (state.scene, tuple(sorted(state.values.items())))
            if key in seen or story.scenes[state.scene].ending is not None:
                continue
            seen.add(key)
            after: dict[str, set[str]] = {}
            for option, ok in engine.options(state):
                choice = option.choice
                if not ok or choice.auto:
                    continue
                outcomes: list[int | None] = list(range(len(choice.outcomes))) if choice.outcomes else [None]
                texts = set()
                for outcome in outcomes:
                    landed, passed = engine.advance(engine.take(state, choice, outcome))
                    texts.add(engine.frame(landed, passed).text)
                for other, other_texts in after.items():
                    if texts & other_texts:
                        same.append(f"{state.scene}: '{other}' and '{engine.render(choice.text, state)}'")
                after[engine.render(choice.text, state)] = texts
    assert same == []
    assert len(seen) > 500  # the check really looked at many states


# Lines that may only be read when the player did the thing they speak of.
_ONLY_IF = (
    ("left_wife", {"asleep"}, r"you told her|told your wife|the depot|lace your boots|kitchen floor|at the window"),
    ("left_wife", {"truth", "silent", "asleep"}, r"\bthe depot\b|lied to your wife"),
    ("left_wife", {"lie", "silent", "asleep"}, r"because you told her|said the word Zone|You say it all"),
    ("left_wife", {"truth", "lie", "asleep"}, r"watched you lace your boots|watched you tie them|pull the laces"),
    ("promise", {"none", "never_again"}, r"You promised her you would come back|You promised to come back"),
    ("promise", {"none", "come_back"}, r"You swore|swore on Monkey"),
    ("promise", {"come_back", "never_again"}, r"promised her nothing|never promised|keeping a promise you never"),
)


def test_narration_in_the_first_half_never_contradicts_how_the_stalker_left_home(engine: Engine) -> None:
    story = engine.story
    checked = 0
    for run in _runs(engine, 250, first_seed=1000):
        last = run[-2][0] if story.scenes[run[-1][0].scene].ending is None else run[-1][0]
        for name, forbidden_when, pattern in _ONLY_IF:
            value = story.stats[name].members[int(last.values[name])]
            if value not in forbidden_when:
                continue
            for state, text in run:
                if _in_first_half(story, state.scene):
                    assert not re.search(pattern, text), f"{state.scene} with {name} = {value}: {pattern}"
                    checked += 1
    assert checked > 5_000


def test_the_nuts_are_tied_at_home_not_again_at_the_edge_and_game_words_stay_out(engine: Engine) -> None:
    story = engine.story
    for run in _runs(engine, 200, first_seed=3000):
        for state, text in run:
            if not _in_first_half(story, state.scene):
                continue
            assert not re.search(r"\b(the run|this run|ending|slot|let the run)\b", text, re.IGNORECASE), state.scene
            assert not re.search(r"\b1 nuts\b", text), state.scene
            if state.scene == "edge_ritual":
                assert not re.search(r"thread|pulling the knot", text)


def test_an_arrest_confiscates_the_bomb_and_nobody_is_let_off_with_a_fine(engine: Engine) -> None:
    story = engine.story
    arrests = 0
    for run in _runs(engine, 400, first_seed=5000):
        state, text = run[-1]
        if state.scene == "cordon_arrest":
            arrests += 1
            assert story.stats["bomb"].members[int(state.values["bomb"])] == "confiscated"
            assert "wires" in text and "with a fine" not in text
    assert arrests > 5


def test_arrest_at_the_cordon_is_at_most_fifteen_percent_of_random_runs(story: Story) -> None:
    tally = playtest(BUNDLED, story, 1, 1000)
    share = tally["endings"].get("arrest", 0) / tally["runs"]
    assert 0.02 <= share <= 0.15  # 8.6% over 2000 runs at this seed when written


def _arrest_share(engine: Engine, pick_for: Callable[[int], Picker], runs: int = 300) -> float:
    arrested = 0
    for seed in range(runs):
        *_, (state, _text) = _walk(engine, seed, pick_for(seed))
        arrested += state.scene == "cordon_arrest"
    return arrested / runs


def test_arrest_depends_on_how_the_stalker_leads(engine: Engine) -> None:
    # a quiet crossing: no drink for the Writer, the rules whispered, everyone flat, the trolley pushed by hand
    careful = _arrest_share(engine, lambda seed: _preferring(
        engine, seed, "Pay for your own coffee", "Take your place", "Draw them close", "Make the Writer say",
        "Go. The train", "Keep low", "Signal them flat", "Lie still a while", "Push the trolley"))
    # a loud one: the Writer drunk, across the open yard, the motor started by the gate
    reckless = _arrest_share(engine, lambda seed: _preferring(
        engine, seed, "Go to the counter", "Pay for his drink", "Wait in the lee", "Break from the rails",
        "Run for the ditch", "Crawl for the ditch", "Start the motor"))
    assert careful <= 0.05
    assert reckless >= 0.3  # 69% when written (careful: 0%)


def test_the_writer_walks_straight_only_when_he_does_not_trust_the_stalker(engine: Engine) -> None:
    low = [0, 0]  # [runs reaching the direct path with trust <= 3, of them the Writer set off alone]
    high = [0, 0]  # the same with trust >= 5
    for run in _runs(engine, 800, first_seed=7000):
        at = [s for s, _ in run if s.scene in ("direct_path_walks", "direct_path_listens")]
        if not at:
            continue
        trust = int(at[0].values["writer.trust"])
        walked = at[0].scene == "direct_path_walks"
        group = low if trust <= 3 else high if trust >= 5 else None
        if group is not None:
            group[0] += 1
            group[1] += walked
    assert low[0] >= 30 and high[0] >= 30
    assert low[1] / low[0] >= 0.8  # every such run, as written
    assert high[1] / high[0] <= 0.2  # none, as written


def test_a_careful_stalker_throws_three_or_four_nuts_in_the_first_half(engine: Engine) -> None:
    counts = []
    for seed in range(300):
        run = list(_walk(engine, seed, _preferring(engine, seed, "Throw", "Put a nut")))
        if run[-1][0].scene != "knapsack_start":
            continue  # arrested, turned back or lost before the end of the half
        nuts = [int(s.values["nuts"]) for s, _ in run]
        counts.append(sum(1 for before, after in zip(nuts, nuts[1:], strict=False) if after < before))
    assert len(counts) >= 100
    assert 3.0 <= sum(counts) / len(counts) <= 4.5
