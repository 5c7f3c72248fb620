"""The status the front ends show is read from the story: any pack's characters, stats and items."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import BUNDLED, PACKS
from zone.engine import Engine
from zone.pack import check_pack, load_pack
from zone.tui.view import MenuItem, Party, StatLine, StatusLine, menu_of, status_line_of, status_of


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


def pinned(tmp_path: Path, pins: str = "pin: true, shown: visits.bar > 0, ") -> Path:
    """The walk with the Stalker's faith and the Writer's trust pinned (the Writer shown from the bar on)."""
    pack = tmp_path / "walk"
    shutil.copytree(PACKS / "tui" / "walk", pack)
    story = (pack / "story.yaml").read_text(encoding="utf-8")
    story = story.replace("faith: {default: 5,", "faith: {pin: true, default: 5,")
    story = story.replace("trust: {default: 4,", f"trust: {{{pins}default: 4,")
    (pack / "story.yaml").write_text(story, encoding="utf-8")
    return pack


def test_the_status_line_holds_the_pinned_stats_of_the_characters_shown(tmp_path: Path) -> None:
    story = load_pack(pinned(tmp_path))
    engine = Engine(story)
    state = engine.start(1)
    line = status_line_of(story, state, "Before dawn")
    assert line == StatusLine("Before dawn", (Party("The Stalker", (StatLine("Faith", "int", 5, 0, 10),)),))
    at_the_bar = engine.start(1, scene="bar")
    line = status_line_of(story, at_the_bar, "The road")
    assert line is not None and [p.name for p in line.parties] == ["The Stalker", "The Writer"]
    assert line.parties[1].stats == (StatLine("Trust", "int", 4, 0, 10),)


def test_a_story_that_pins_nothing_has_no_status_line() -> None:
    story = load_pack(PACKS / "tui" / "walk")
    assert status_line_of(story, Engine(story).start(1), "Before dawn") is None


def test_pin_is_kept_by_the_compile_cache_and_must_be_true_or_false(tmp_path: Path) -> None:
    pack = pinned(tmp_path / "pack")
    for _ in range(2):  # compiled, then read back from the cache
        story = load_pack(pack, tmp_path / "cache")
        assert [k for k, s in story.stats.items() if s.pinned] == ["stalker.faith", "writer.trust"]
    assert any((tmp_path / "cache").iterdir())
    _, diagnostics = check_pack(pinned(tmp_path / "bad", "pin: often, "))
    assert [d.code for d in diagnostics if d.is_error] == ["ZN010"]
    assert "pin" in diagnostics[0].format() and "true or false" in diagnostics[0].format()


def test_the_bundled_game_pins_the_companions_trust_and_the_stalkers_faith() -> None:
    story = load_pack(BUNDLED)
    assert [k for k, s in story.stats.items() if s.pinned] == ["stalker.faith", "writer.trust", "professor.trust"]
