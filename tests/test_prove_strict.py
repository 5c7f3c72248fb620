"""`zone prove --strict`: every ending reachable, no soft lock, every choice enabled somewhere, every text branch
shown somewhere; each failure alone makes it exit 1, and a clean pack exits 0."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import run_main, write_pack
from zone import inline
from zone.expr import Symbols
from zone.inline import Seen

STORY = """\
id: strict
title: Strict
version: "1"
start: door
flags:
  key: You have the key
"""

CLEAN = """\
door:
  title: The door
  text: A door in the wall.
  choices:
    - text: Knock.
      goto: hall
    - text: Take the key from under the mat.
      do: flags.key = true
      goto: hall
hall:
  title: The hall
  text:
    - "A long hall{if flags.key: , and the key is warm in your hand| , and nothing in your hands}."
    - if: flags.key
      text: You could open any door now.
      else: You will have to knock again.
  choices:
    - text: Leave.
      goto: out
out:
  title: Out
  text: Outside.
  ending: Out
"""

NO_KEY = CLEAN.replace("      do: flags.key = true\n", "")  # the key is never taken: its texts never show


def _prove(tmp_path: Path, scenes: str, *flags: str) -> tuple[int, str]:
    pack = write_pack(tmp_path / "pack", STORY, {"walk.yaml": scenes})
    result = run_main("prove", str(pack), *flags)
    return result.status, result.out


def test_a_clean_pack_passes_strict(tmp_path: Path) -> None:
    status, out = _prove(tmp_path, CLEAN, "--strict")
    assert status == 0, out
    assert "Text branches never shown: none" in out
    assert out.rstrip().endswith("--strict: every ending can be reached, nothing soft-locks, every choice can be "
                                 "enabled and every text branch can show")


def test_a_passage_branch_that_never_shows_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    status, out = _prove(tmp_path, NO_KEY)
    assert status == 0  # not a failure without --strict
    assert ("walk.yaml:14:13: warning ZN043: the text of the passage 'if: flags.key' in scene 'hall' is never shown"
            in out)
    assert "the else of the passage" not in out


def test_an_inline_branch_that_never_shows_is_reported(tmp_path: Path) -> None:
    _, out = _prove(tmp_path, NO_KEY)
    assert ("walk.yaml:12:7: warning ZN043: the text of '{if flags.key: ...}' in scene 'hall' is never shown" in out)
    assert "the else of '{if flags.key" not in out
    assert "Text branches never shown: 2" in out


def test_an_inline_branch_in_a_choice_text_or_nested_in_a_branch_never_shown(tmp_path: Path) -> None:
    scenes = NO_KEY.replace("    - text: Leave.\n", "    - text: 'Leave{if flags.key: , locking the door}.'\n")
    scenes = scenes.replace("{if flags.key: , and the key is warm in your hand|",
                            "{if flags.key: , and the key is warm{if visits.door > 1: again}|")
    _, out = _prove(tmp_path, scenes)
    assert "walk.yaml:17:13: warning ZN043: the text of '{if flags.key: ...}' in scene 'hall'" in out
    assert "visits" not in out  # inside a branch never shown: its outer branch is the one to look at
    assert "Text branches never shown: 3" in out


FAILURES = {
    "unreachable ending": (CLEAN + "vault:\n  title: Vault\n  text: Gold.\n  ending: Vault\n",
                           "an ending is unreachable or was not found"),
    "soft lock": (CLEAN.replace("    - text: Leave.\n", "    - text: Leave.\n      if: flags.key\n"),
                  "a soft lock or an endless loop is found or possible"),
    "never enabled": (CLEAN.replace("    - text: Leave.\n      goto: out\n",
                                    "    - text: Leave.\n      goto: out\n    - text: Go back.\n"
                                    "      if: visits.hall > 1\n      goto: door\n"),
                      "a choice is never enabled, or was never seen enabled"),
    "never shown": (NO_KEY, "a text branch is never shown"),
}


@pytest.mark.parametrize("kind", list(FAILURES))
def test_strict_exits_1_on_each_kind_of_failure(tmp_path: Path, kind: str) -> None:
    scenes, said = FAILURES[kind]
    status, out = _prove(tmp_path, scenes, "--strict")
    assert status == 1, out
    last = out.rstrip().splitlines()[-1]
    assert last.startswith("--strict: ") and said in last
    assert len(last.split("; ")) == 1  # only the failure this pack has


def test_json_lists_the_branches_never_shown_and_what_strict_refuses(tmp_path: Path) -> None:
    import json

    data = json.loads(_prove(tmp_path, NO_KEY, "--json")[1])
    assert [(b["where"].rsplit("/", 1)[-1], b["inline"], b["condition"], b["shows"], b["proved"])
            for b in data["reading"]["never_shown"]] == [("walk.yaml:14:13", False, "flags.key", "text", True),
                                                         ("walk.yaml:12:7", True, "flags.key", "text", True)]
    assert data["strict_failures"] == ["a text branch is never shown"]


def test_without_strict_a_dead_choice_or_text_does_not_fail(tmp_path: Path) -> None:
    assert _prove(tmp_path, FAILURES["never enabled"][0])[0] == 0
    assert _prove(tmp_path / "b", NO_KEY)[0] == 0


def test_taken_says_which_way_each_if_a_render_meets_went() -> None:
    symbols = Symbols({"a": "bool", "b": "bool"}, {}, frozenset())
    pieces = inline.parse("{if a: A{if b: B | not B} | not A{if b: never} }.", symbols)
    outer = inline.conditions(pieces)
    assert [c.test.source for c in outer] == ["a", "b", "b"]
    seen = Seen("s", 1, 0)
    for a in (True, False):
        for b in (True, False):
            env = SimpleNamespace(values={"a": a, "b": b}, visits={}, turn=0)
            found: list[tuple[inline.Cond, bool]] = []
            inline.taken(pieces, env, seen, found)  # type: ignore[arg-type]
            text = inline.render(pieces, env, seen, str)  # type: ignore[arg-type]
            assert found[0] == (outer[0], a)
            inner = outer[1] if a else outer[2]
            assert found[1:] == [(inner, b)]
            assert text == {(True, True): "AB.", (True, False): "Anot B.", (False, True): "not Anever.",
                            (False, False): "not A."}[(a, b)]


def test_past_the_bound_a_branch_is_proved_never_shown_or_left_undecided(tmp_path: Path) -> None:
    from zone.author.readings import read
    from zone.pack import load_pack

    dead = load_pack(write_pack(tmp_path / "dead", STORY, {"walk.yaml": NO_KEY}))
    reading = read(dead, max_states=1)
    assert not reading.complete and reading.runs > 0
    assert [(b.scene, b.shows, b.proved) for b in reading.never_shown] == [("hall", True, True), ("hall", True, True)]
    # with no playthroughs, the hall is never met: its branches are counted, not proved
    alive = load_pack(write_pack(tmp_path / "alive", STORY, {"walk.yaml": CLEAN}))
    reading = read(alive, max_states=1, runs=0)
    assert reading.never_shown == () and reading.unshown == 3
    status, out = _prove(tmp_path, CLEAN, "--strict", "--max-text-states", "1")
    assert status == 0, out  # the playthroughs past the bound show every branch


RARE_STORY = """\
id: rare
title: Rare
version: "1"
start: field
vars:
  nuts: {default: 12, range: [0, 12], about: Nuts in the pocket}
  steps: {default: 0, range: [0, 12], about: How far you have walked}
"""

RARE = """\
field:
  title: The field
  text: Grass.
  choices:
    - text: Throw a nut.
      do: [nuts -= 1, steps += 1]
      goto: gate
    - text: Walk on.
      do: steps += 1
      goto: gate
    - text: Whistle.
      do: steps += 1
      goto: gate
gate:
  title: The gate
  text: "{if nuts > 0: Your pocket still rattles. | Your pocket is empty.}"
  next:
    - if: steps >= 12
      goto: out
    - goto: field
out:
  title: Out
  text: Outside.
  ending: Out
"""


def test_past_the_bound_prove_leans_towards_a_branch_random_play_seldom_shows(tmp_path: Path) -> None:
    """An empty pocket needs twelve throws in twelve steps: about one random playthrough in half a million
    throws every time, so the playthroughs past the bound lean towards the values the branch needs."""
    from zone.author.readings import read
    from zone.pack import load_pack

    story = load_pack(write_pack(tmp_path / "rare", RARE_STORY, {"walk.yaml": RARE}))
    reading = read(story, max_states=5, runs=20)
    assert not reading.complete
    assert reading.never_shown == ()
