"""Conditional effects: `{if, do, else}` blocks inside `do` and `on_enter`, read once, checked like the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import built_and_cached, run_main, write_pack
from zone.author.lint import lint, usage
from zone.author.prove import prove
from zone.engine import Engine
from zone.pack import check_pack

STORY = """\
id: blocks
title: Blocks
version: "1"
start: gate
vars:
  trust: {default: 1, range: [0, 5], about: Trust}
items:
  nuts: {default: 1, range: [0, 3], about: Nuts}
"""

SCENES = """\
gate:
  title: Gate
  text: "Nuts {nuts}, trust {trust}."
  choices:
    - text: Throw a nut.
      do:
        - if: nuts > 0
          do: [nuts -= 1, trust += 1]
          else:
            - trust -= 1
            - if: trust == 0
              do: [nuts = 3]
      goto: gate
    - text: Leave.
      goto: away
away:
  title: Away
  text: Gone.
  ending: Gone
"""


def pack(tmp_path: Path, scenes: str = SCENES) -> Path:
    return write_pack(tmp_path, STORY, {"gate.yaml": scenes})


def test_a_block_reads_its_condition_once_before_either_branch(tmp_path: Path) -> None:
    story, diags = check_pack(pack(tmp_path))
    assert story is not None and not [d for d in diags if d.is_error]
    engine = Engine(story)
    state = engine.start(1)
    seen = []
    for _ in range(4):
        state = engine.choose(state, 0)
        seen.append((state.values["nuts"], state.values["trust"]))
    # 1 nut: throw it (the condition held, so both effects of 'do' run, though nuts is now 0);
    # then no nuts: trust falls, and at 0 the nested block gives three nuts back.
    assert seen == [(0, 2), (0, 1), (3, 0), (2, 1)]


def test_tools_see_every_name_a_block_reads_and_changes(tmp_path: Path) -> None:
    story, _ = check_pack(pack(tmp_path))
    assert story is not None
    reads, writes = usage(story)
    assert {"nuts", "trust"} <= reads and {"nuts", "trust"} <= writes
    assert [d.code for d in lint(story)] == []
    proof = prove(story)
    assert proof.complete and proof.endings["away"] is not None and not proof.soft_locks
    assert proof.never_enabled == ()


def test_the_compile_cache_keeps_blocks(tmp_path: Path) -> None:
    built, cached = built_and_cached(pack(tmp_path / "p"), tmp_path / "cache")
    a, b = Engine(built), Engine(cached)
    sa, sb = a.start(3), b.start(3)
    for _ in range(5):
        sa, sb = a.choose(sa, 0), b.choose(sb, 0)
        assert sa.values == sb.values


def test_a_pack_with_blocks_plays_in_the_terminal(tmp_path: Path) -> None:
    played = run_main("play", str(pack(tmp_path)), "--plain", "--saves", str(tmp_path / "s"), stdin="1\n1\n1\n")
    assert played.status == 0, played.err
    assert "Nuts 0, trust 2." in played.out and "Nuts 3, trust 0." in played.out


@pytest.mark.parametrize(("scenes", "code", "line", "fragment"), [
    (SCENES.replace("        - if: nuts > 0\n", "        - iff: nuts > 0\n"), "ZN011", 7, "iff"),
    (SCENES.replace("if: nuts > 0", "if: nuts"), "ZN017", 7, "true or false"),
    (SCENES.replace("do: [nuts -= 1, trust += 1]", "do: [nuts -= 1, trusst += 1]"), "ZN016", 8, "trust"),
    (SCENES.replace("          do: [nuts -= 1, trust += 1]\n", "          do: []\n").replace(
        "          else:\n            - trust -= 1\n            - if: trust == 0\n              do: [nuts = 3]\n", ""),
     "ZN024", 7, "changes nothing"),
])
def test_block_mistakes_are_refused_where_they_are(tmp_path: Path, scenes: str, code: str, line: int,
                                                   fragment: str) -> None:
    _, diags = check_pack(pack(tmp_path, scenes))
    errors = [d for d in diags if d.is_error]
    assert errors and (errors[0].code, errors[0].pos.line) == (code, line), [d.format() for d in errors]
    assert fragment in errors[0].message


def test_blocks_nest_to_a_bound(tmp_path: Path) -> None:
    nested = "nuts = 1"
    for _ in range(10):
        nested = "{if: nuts > 0, do: [" + nested + "]}"
    _, diags = check_pack(pack(tmp_path, SCENES.replace("[nuts -= 1, trust += 1]", f"[{nested}]")))
    assert any(d.code == "ZN024" and "nest at most 8 deep" in d.message for d in diags)
