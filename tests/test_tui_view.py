"""The status the front ends show is read from the story: any pack's characters, stats and items."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PACKS
from zone.engine import Engine
from zone.pack import load_pack
from zone.tui.view import MenuItem, StatLine, menu_of, status_of


def test_status_follows_the_packs_own_characters() -> None:
    story = load_pack(PACKS / "tiny")
    state = Engine(story).start(1, values={"guide.tired": True})
    status = status_of(story, state)
    assert [p.name for p in status.parties] == ["The Guide"]
    assert status.parties[0].stats == (StatLine("Faith", "int", 2, 0, 5), StatLine("Tired", "bool", True, 0, 1))
    assert status.items == (StatLine("Nuts", "int", 2, 0, 5),)


def test_status_of_the_test_pack_in_declaration_order() -> None:
    story = load_pack(PACKS / "tui" / "walk")
    status = status_of(story, Engine(story).start(1))
    assert [p.name for p in status.parties] == ["The Stalker", "The Writer", "The Professor"]
    assert [s.name for s in status.parties[1].stats] == ["Trust", "Bottle"]


def test_menu_keeps_disabled_choices_with_their_reason() -> None:
    story = load_pack(PACKS / "tui" / "walk")
    engine = Engine(story)
    state = engine.choose(engine.choose(engine.start(1), 0), 1)  # the street, without the nuts
    assert menu_of(engine.frame(state)) == [MenuItem("Go into the bar."),
                                            MenuItem("Walk straight to the road.", False, "Not without the nuts.")]


def test_items_take_the_name_their_pack_gives_them_also_from_the_compile_cache(tmp_path: Path) -> None:
    for _ in range(2):  # compiled, then read back from the cache
        story = load_pack(PACKS / "tui" / "cyrillic", tmp_path)
        status = status_of(story, Engine(story).start(1))
        assert status.items == (StatLine("Гайки 🔩", "int", 3, 0, 12),)
        assert status.parties[0].stats[0].name == "Faith"  # a stat has no display name: its id, capitalised
    assert any(tmp_path.iterdir())
