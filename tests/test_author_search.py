"""Searching past the bound: the A* estimate, shortest routes, greedy routes and the shared budget."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PACKS
from zone.author.guide import Guide, StoryMap
from zone.author.relevance import KeyCodec
from zone.author.search import Budget, Witness, shortest
from zone.engine import Engine
from zone.pack import load_pack


def _pack(tmp_path: Path) -> Path:
    """a -> b (sets the key, or not) -> gate; the gate opens only with the key; a loop c <-> d on the side."""
    (tmp_path / "story.yaml").write_text('id: s\ntitle: S\nversion: "1"\nstart: a\nflags:\n  key: The key\n'
                                         "items:\n  steps: {default: 0, range: [0, 9], about: Steps}\n")
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - {text: key, do: flags.key = true, goto: gate}\n"
        "    - {text: no key, goto: gate}\n    - {text: side, goto: c}\n"
        "c:\n  title: C\n  text: c\n  choices:\n    - {text: step, do: steps += 1, goto: d}\n"
        "d:\n  title: D\n  text: d\n  choices:\n    - {text: back, goto: c}\n"
        "    - {text: out, if: steps >= 4, goto: gate}\n"
        "gate:\n  title: Gate\n  text: g\n  choices:\n    - {text: open, if: flags.key, goto: z}\n"
        "    - {text: wait, goto: gate}\n"
        "z:\n  title: Z\n  text: z\n  ending: Z\n")
    return tmp_path


def test_values_no_effect_can_change_any_more_are_settled(tmp_path: Path) -> None:
    story_map = StoryMap(load_pack(_pack(tmp_path)))
    assert "flags.key" not in story_map.frozen["a"] and "flags.key" in story_map.frozen["gate"]
    assert "steps" not in story_map.frozen["c"] and "steps" not in story_map.frozen["d"]  # the loop writes it
    assert "steps" in story_map.frozen["gate"]


def test_the_estimate_gives_up_on_a_state_past_the_point_of_no_return(tmp_path: Path) -> None:
    story = load_pack(_pack(tmp_path))
    engine, guide = Engine(story), Guide(StoryMap(story), ["z"])
    start = engine.start(0)
    options = [o for o, _ in engine.options(start)]
    assert guide(start) == 2
    assert guide(engine.take(start, options[0].choice)) == 1  # at the gate with the key
    assert guide(engine.take(start, options[1].choice)) is None  # at the gate without it: never


def test_shortest_finds_the_shortest_route_and_records_witnesses(tmp_path: Path) -> None:
    story = load_pack(_pack(tmp_path))
    engine, codec, witness = Engine(story), KeyCodec(story), Witness()
    moves = shortest(engine, codec, StoryMap(story), ["z"], lambda sim: True, 1000, witness)
    assert moves == [(0, -1), (0, -1)]
    assert ("gate", 0) in witness.enabled


def test_a_greedy_search_is_pulled_towards_what_a_gate_asks(tmp_path: Path) -> None:
    story = load_pack(_pack(tmp_path))
    engine, codec = Engine(story), KeyCodec(story)
    out = story.scenes["d"].choices[1]
    moves = shortest(engine, codec, StoryMap(story), ["d"], lambda sim: sim.values["steps"] >= 4, 1000, Witness(),
                     greed=3, want=out.condition)
    assert moves is not None and len(moves) == 8  # side, then step and back three times, then step


def test_searches_stop_when_the_shared_budget_is_spent() -> None:
    story = load_pack(PACKS / "prove")
    engine, codec, pool = Engine(story), KeyCodec(story), Budget(2)
    assert shortest(engine, codec, StoryMap(story), ["treasure"], lambda sim: True, 1000, Witness(),
                    pool=pool) is None
    assert pool.left == 0
