"""The bundled game: sound, large enough, every ending and scene reachable, the film's own path golden."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, run_main
from zone.engine import Engine
from zone.inline import Lit
from zone.model import Story, Text
from zone.pack import check_pack

CHAPTER_FILES = ("home", "bar", "cordon", "railway", "edge", "direct_path", "knapsack", "stream", "tunnel",
                 "sand_well", "threshold", "return")


@pytest.fixture(scope="module")
def story() -> Story:
    found, diags = check_pack(BUNDLED)
    assert found is not None
    assert [d.format() for d in diags] == []  # no errors and no warnings
    return found


def _words(text: Text | None) -> int:
    if text is None:
        return 0
    return sum(len(piece.text.split()) for piece in text.pieces if isinstance(piece, Lit))


def test_size_of_the_game(story: Story) -> None:
    words = sum(_words(p.text) + _words(p.otherwise) for s in story.scenes.values() for p in s.passages)
    assert len(story.scenes) >= 123
    assert len(story.endings) >= 11
    assert words >= 25_000


def test_twelve_chapters_in_order_each_a_file(story: Story) -> None:
    assert sorted(Path(f).stem for f in story.files[1:]) == sorted(CHAPTER_FILES)
    assert story.chapters[0] == "Home, before dawn"
    assert story.chapters[-1] == "The return"
    assert len(story.chapters) == 12


def test_every_chapter_has_choices_that_change_state(story: Story) -> None:
    for stem in CHAPTER_FILES:
        scenes = [s for s in story.scenes.values() if Path(s.file).stem == stem]
        changing = [c for s in scenes for c in s.choices if c.effects or c.outcomes]
        conditional = [c for s in scenes for c in s.choices if c.condition is not None]
        assert len(changing) >= 2, stem
        assert conditional, f"{stem} has no choice the state can rule out"


def test_tracked_characters(story: Story) -> None:
    assert {c: set(story.characters[c].stats) for c in story.characters} == {
        "stalker": {"stalker.faith", "stalker.strain", "stalker.guilt"},
        "writer": {"writer.cynicism", "writer.inspiration", "writer.trust", "writer.bottle"},
        "professor": {"professor.resolve", "professor.curiosity", "professor.trust", "professor.knapsack"},
    }
    assert "nuts" in story.stats


def test_no_paragraph_is_repeated(story: Story) -> None:
    seen: Counter[str] = Counter()
    for scene in story.scenes.values():
        for passage in scene.passages:
            for text in (passage.text, passage.otherwise):
                if text is None:
                    continue
                flat = "".join(p.text if isinstance(p, Lit) else "{}" for p in text.pieces)
                for para in flat.split("\n\n"):
                    if len(para.split()) >= 8:
                        seen[re.sub(r"\W+", " ", para.lower()).strip()] += 1
    repeated = [p[:60] for p, n in seen.items() if n > 1]
    assert repeated == []


def test_ten_thousand_random_runs_reach_every_ending_and_scene_and_never_stall(story: Story) -> None:
    engine = Engine(story)
    rng = random.Random(2026)
    taken: Counter[tuple[str, int]] = Counter()
    visited: set[str] = set()
    endings: Counter[str] = Counter()
    for run in range(10_000):
        state = engine.start(run)
        visited.add(state.scene)
        for _turn in range(400):
            scene = story.scenes[state.scene]
            if scene.ending is not None:
                endings[scene.ending.id] += 1
                break
            shown = [(o.choice, e) for o, e in engine.options(state)]
            enabled = [(i, choice) for i, (choice, ok) in enumerate(shown) if ok]
            assert enabled, f"run {run}: stuck in '{state.scene}' with no enabled choice"
            fewest = min(taken[(state.scene, id(c))] for _, c in enabled)
            options = [(i, c) for i, c in enabled if taken[(state.scene, id(c))] == fewest]
            _, choice = rng.choice(options) if rng.random() < 0.7 else rng.choice(enabled)
            taken[(state.scene, id(choice))] += 1
            state = engine.take(state, choice)
            visited.add(state.scene)
        else:
            pytest.fail(f"run {run} did not end within 400 choices")
    assert set(endings) == set(story.endings)
    assert visited == set(story.scenes)


def test_zone_check_including_the_meaning_checks_is_clean() -> None:
    from tests.conftest import run_main

    result = run_main("check", str(BUNDLED), "--strict")
    assert result.status == 0, result.out
    lines = result.out.strip().splitlines()
    assert len(lines) == 1 and ": 0 errors, 0 warnings (" in lines[0]


def test_status_lists_the_writer_and_the_professor_only_once_they_are_met(story: Story) -> None:
    from zone.tui.view import status_of

    engine = Engine(story)
    state = engine.start(1)
    assert [p.name for p in status_of(story, state).parties] == ["The Stalker"]
    at_bar = engine.start(1, scene="bar_arrival")
    assert [p.name for p in status_of(story, at_bar).parties] == ["The Stalker", "The Writer"]
    inside = engine.start(1, scene="bar_inside")
    assert [p.name for p in status_of(story, inside).parties] == ["The Stalker", "The Professor"]


def test_zone_prove_strict_passes_on_the_bundled_game() -> None:
    """Every ending reachable, no soft lock, no choice that can never be enabled, no text branch that can
    never show, and no two choices whose next text reads the same."""
    result = run_main("prove", str(BUNDLED), "--strict")
    out = result.out
    assert result.status == 0, out[-2000:]
    assert "Choices that read the same: none" in out
    assert "Text branches never shown: none" in out


def test_a_careful_stalker_runs_out_of_nuts_before_the_room_in_a_fifth_of_runs(story: Story) -> None:
    """A Stalker who throws whenever a throw is offered, from home, with everything else left to chance."""
    engine = Engine(story)
    runs, short = 400, 0
    for seed in range(runs):
        pick = random.Random(seed)
        state, _ = engine.advance(engine.start(seed))
        for _ in range(400):
            frame = engine.frame(state)
            if frame.ending is not None or state.scene.startswith(("threshold", "return")):
                break
            enabled = [c for c in frame.choices if c.enabled]
            throws = [c for c in enabled if any("nuts -=" in e.source for e in c.choice.effects)]
            state, _ = engine.advance(engine.choose(state, pick.choice(throws or enabled).index, frame))
        short += state.values["nuts"] == 0
    assert short / runs >= 0.20, f"{short} of {runs}"
