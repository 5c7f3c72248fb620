"""`zone stats`: sizes per file and chapter, and route lengths to each ending."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PACKS, run_main
from zone.author.stats import pack_stats
from zone.pack import load_pack


def test_counts_and_routes_of_the_known_pack() -> None:
    stats = pack_stats(load_pack(PACKS / "prove"))
    total = stats.total
    assert (total.scenes, total.choices, total.endings) == (7, 8, 4)
    assert [f.name for f in stats.files] == ["walk.yaml"]
    routes = {r.ending: (r.shortest, r.longest) for r in stats.routes}
    assert routes == {"far_shore": (2, 2), "fell": (2, 2), "treasure": (3, 3), "spring": (3, 3)}


def test_words_count_what_the_player_reads(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: w\ntitle: W\nversion: "1"\nstart: a\n'
                                         "items:\n  nuts: {default: 1, range: [0, 1], about: Nuts}\n")
    (tmp_path / "a.yaml").write_text(
        "a:\n  title: A\n  text:\n    - One two three.\n    - if: nuts > 0\n      text: You have {nuts} nuts.\n"
        "      else: None left.\n  choices:\n    - text: Go on now.\n      reason: Not yet.\n      goto: b\n"
        "b:\n  title: B\n  text: The end.\n  ending: B\n")
    files = pack_stats(load_pack(tmp_path)).files
    assert [(f.name, f.words) for f in files] == [("a.yaml", 3 + 4 + 2 + 3 + 2 + 2)]


def test_longest_route_does_not_go_round_loops(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: l\ntitle: L\nversion: "1"\nstart: a\n')
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - {text: b, goto: b}\n    - {text: z, goto: z}\n"
        "b:\n  title: B\n  text: b\n  choices:\n    - {text: c, goto: c}\n    - {text: a, goto: a}\n"
        "c:\n  title: C\n  text: c\n  choices:\n    - {text: z, goto: z}\n    - {text: b, goto: b}\n"
        "z:\n  title: Z\n  text: z\n  ending: Z\n")
    (route,) = pack_stats(load_pack(tmp_path)).routes
    assert (route.shortest, route.longest) == (1, 3)


def test_the_command_prints_tables_and_json() -> None:
    result = run_main("stats", str(PACKS / "prove"))
    assert result.status == 0
    assert "walk.yaml       7        8        4" in result.out
    assert "  treasure          3        3  The treasure" in result.out
    data = json.loads(run_main("stats", str(PACKS / "prove"), "--json").out)
    assert data["total"]["scenes"] == 7 and data["routes"][0]["ending"] == "far_shore"
