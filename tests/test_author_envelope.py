"""The envelope: per-scene sets of possible values that prove what can never happen."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PACKS
from zone.author.envelope import SET_LIMIT, envelope
from zone.pack import load_pack


def test_the_envelope_over_approximates_and_proves_what_is_impossible() -> None:
    story = load_pack(PACKS / "prove")
    env = envelope(story)
    assert not env.reachable("spring")
    assert ("cave", 2) in env.never_enabled
    assert env.boxes["cave"]["guide.trust"] == frozenset({0, 1, 2})
    assert "cave" in env.lock_examples and "trail" in env.lock_free


def test_what_the_player_can_never_get_past_is_proved_lock_free(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: e\ntitle: E\nversion: "1"\nstart: a\n'
                                         "flags:\n  lamp: The lamp\n")
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - text: take\n      do: flags.lamp = true\n      goto: b\n"
        "b:\n  title: B\n  text: b\n  choices:\n    - text: go on\n      if: flags.lamp\n      goto: c\n"
        "c:\n  title: C\n  text: c\n  ending: C\n")
    env = envelope(load_pack(tmp_path))
    assert env.boxes["b"]["flags.lamp"] == frozenset({True})
    assert "b" in env.lock_free and env.never_enabled == ()


def test_a_value_that_could_grow_without_end_is_widened_so_the_envelope_finishes(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: w\ntitle: W\nversion: "1"\nstart: a\n'
                                         "items:\n  coins: {default: 0, range: [0, 100000], about: Coins}\n")
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - text: earn\n      do: coins += 1\n      goto: a\n"
        "    - text: buy\n      if: coins >= 5000\n      goto: z\n"
        "z:\n  title: Z\n  text: z\n  ending: Z\n")
    env = envelope(load_pack(tmp_path))
    assert env.boxes["a"]["coins"] is None  # any value: more than SET_LIMIT were possible
    assert env.reachable("z") and SET_LIMIT < 5000
