"""What a proof must remember of a state: live values per scene, saturating counters, exact keys."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PACKS
from zone.author.relevance import UNBOUNDED, KeyCodec, counter_caps, live_names
from zone.engine import Engine
from zone.pack import load_pack


def test_counters_compared_with_constants_saturate_above_the_largest() -> None:
    caps = counter_caps(["visits.well > 2", "1 <= visits.well <= 4", "turn >= 10", "visits.door == 0"])
    assert caps == {"visits.well": 5, "turn": 11, "visits.door": 1}


def test_a_counter_used_in_arithmetic_is_never_saturated() -> None:
    assert counter_caps(["visits.well > 2", "visits.well + turn > 3"]) == {"visits.well": None, "turn": None}


def test_live_values_are_those_a_later_condition_can_read() -> None:
    live = live_names(load_pack(PACKS / "prove"))
    assert live["camp"] == {"guide.trust", "flags.lamp"}
    assert live["cave"] == {"guide.trust", "flags.lamp"}
    assert live["far_shore"] == frozenset()


def test_an_assignment_stops_a_value_mattering_before_it(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: k\ntitle: K\nversion: "1"\nstart: a\n'
                                         "flags:\n  x: The x flag\n  y: The y flag\n")
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - text: go\n      do: flags.x = flags.y\n      goto: b\n"
        "b:\n  title: B\n  text: b\n  choices:\n    - text: end\n      if: flags.x\n      goto: c\n"
        "    - text: end too\n      goto: c\n"
        "c:\n  title: C\n  text: c\n  ending: C\n")
    live = live_names(load_pack(tmp_path))
    assert live["b"] == {"flags.x"}
    assert live["a"] == {"flags.y"}


def test_keys_round_trip_the_live_values() -> None:
    story = load_pack(PACKS / "prove")
    codec, engine = KeyCodec(story), Engine(story)
    sim = engine.start(0)
    sim = engine.take(sim, engine.options(sim)[0][0].choice)  # take the lamp
    sim = engine.take(sim, engine.options(sim)[0][0].choice)  # talk: trust 1
    back = codec.decode(codec.encode(sim))
    assert (back.scene, back.values["guide.trust"], back.values["flags.lamp"]) == ("trail", 1, True)
    assert codec.describe(codec.encode(sim)) == "guide.trust=1, flags.lamp=yes"
    assert UNBOUNDED > 10**9


def test_keys_round_trip_every_member_of_an_enumeration(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(
        'id: k\ntitle: K\nversion: "1"\nstart: a\n'
        "vars:\n  who: {values: [nobody, writer, professor, stalker], default: nobody, about: Who}\n"
        "  nuts: {default: 3, range: [0, 12], about: Nuts}\n")
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - text: go\n      do: [who = stalker, nuts -= 1]\n      goto: b\n"
        "b:\n  title: B\n  text: b\n  choices:\n    - text: end\n      if: who == stalker and nuts > 1\n"
        "      goto: c\n    - text: end too\n      goto: c\n"
        "c:\n  title: C\n  text: c\n  ending: C\n")
    story = load_pack(tmp_path)
    codec, engine = KeyCodec(story), Engine(story)
    sim = engine.take(engine.start(0), engine.options(engine.start(0))[0][0].choice)
    back = codec.decode(codec.encode(sim))
    assert (back.scene, back.values["who"], back.values["nuts"]) == ("b", 3, 2)
    assert codec.describe(codec.encode(sim)) == "who=stalker, nuts=2"


def test_keys_round_trip_a_value_with_more_than_two_names(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: k\ntitle: K\nversion: "1"\nstart: a\n'
                                         "vars:\n  mood:\n    values: [calm, wary, afraid, lost]\n"
                                         "    default: calm\n    about: How the walker feels\n")
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - text: go\n      do: mood = lost\n      goto: b\n"
        "b:\n  title: B\n  text: b\n  choices:\n    - text: end\n      if: mood == lost\n      goto: c\n"
        "    - text: end too\n      goto: c\n"
        "c:\n  title: C\n  text: c\n  ending: C\n")
    story = load_pack(tmp_path)
    engine, codec = Engine(story), KeyCodec(story)
    state = engine.take(engine.start(1), story.scenes["a"].choices[0])
    assert state.values["mood"] == 3
    assert codec.decode(codec.encode(state)).values["mood"] == 3
