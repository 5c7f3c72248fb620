"""What the language server makes of a pack and of the cursor, without the protocol around it:
the places a scene is defined and named, the context of a cursor in half-typed YAML, and the
answers built on them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, PACKS, ROOT, write_pack
from zone.lsp import answers
from zone.lsp.cursor import SCENE_KEYS, context
from zone.lsp.packview import build, pack_of


def _ctx(text: str) -> tuple[str, str]:
    """The context at the last "|" in `text`."""
    before, after = text.rsplit("|", 1)
    lines = (before + after).split("\n")
    line = before.count("\n")
    where = context(lines, line, len(before.split("\n")[-1]))
    return where.kind, where.key


@pytest.mark.parametrize(("text", "expected"), [
    ("gate:\n  choices:\n    - text: Go.\n      goto: fo|", ("scene", "goto")),
    ("gate:\n  next: |", ("scene", "next")),
    ("gate:\n  next:\n    - if: flags.x\n      goto: a\n    - goto: |", ("scene", "goto")),
    ("gate:\n  choices:\n    - {text: Go., goto: |}", ("scene", "goto")),
    ("id: x\nstart: ga|", ("scene", "start")),
    ("gate:\n  choices:\n    - text: Go.\n      if: writer.tr|", ("expression", "if")),
    ("gate:\n  on_enter:\n    - nuts -= 1\n    - fl|", ("expression", "on_enter")),
    ("gate:\n  choices:\n    - text: Go.\n      do:\n      - flags.x = true\n      - {if: nu|", ("expression", "if")),
    ("gate:\n  text: You have {nu|", ("inline", "text")),
    ("gate:\n  text: |\n    The rain.\n    You have {if flags.x: a|", ("inline", "text")),
    ("gate:\n  text:\n    - The grass {gu|", ("inline", "text")),
    ("gate:\n  text: You have nu|", ("text", "text")),
    ("gate:\n  title: The ga|", ("text", "title")),
])
def test_the_cursor_knows_what_its_value_is(text: str, expected: tuple[str, str]) -> None:
    assert _ctx(text) == expected


def test_scene_keys_come_from_the_pack_format() -> None:
    assert {"goto", "next", "start"} <= SCENE_KEYS


def test_every_place_the_bundled_game_names_a_scene_is_found_exactly() -> None:
    view = build(BUNDLED, {})
    assert sorted(view.definitions) == sorted(view.story.scenes)  # type: ignore[union-attr]
    named = 0
    for table in (view.definitions, view.references):
        for sid, spots in table.items():
            for spot in spots:
                assert view.files[spot.path].lines[spot.line][spot.col:spot.col + spot.length] == sid
                named += 1
    visits = sum(text.text.count("visits.") for text in view.files.values())
    assert sum(1 for spots in view.references.values() for s in spots
               if view.files[s.path].lines[s.line][:s.col].endswith("visits.")) == visits
    assert named > 2 * len(view.definitions)


def _packs() -> list[Path]:
    return sorted({p.parent for p in [*ROOT.glob("scenes/story.yaml"), *PACKS.rglob("story.yaml")]})


@pytest.mark.parametrize("pack", _packs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_that_names_a_scene_is_a_reference_the_compiler_reports(pack: Path) -> None:
    """Read the other way round from the compiler's own list: each `KEY: id` written with a key that
    names a scene must be among the references, or a rename would leave it behind."""
    view = build(pack, {})
    keys = "|".join(sorted(SCENE_KEYS))
    written = re.compile(rf"(?:^|[\s{{,-])(?:{keys})[ \t]*:[ \t]*[\"']?([a-z][a-z0-9_]*)(?=[\s\"',}}\]]|$)", re.M)
    for path, text in view.files.items():
        if text.root is None:
            continue
        for m in written.finditer(text.text):
            if m.group(1) == "return":  # `next: return` goes back from a call: a word of the language, no scene
                continue
            line, col = text.place(m.start(1))
            spots = view.references.get(m.group(1), ())
            assert (path, line, col) in {(s.path, s.line, s.col) for s in spots}, (path.name, line + 1, m.group())


def test_unsaved_text_replaces_the_file(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "p", (PACKS / "tiny" / "story.yaml").read_text(),
                      {"walk.yaml": (PACKS / "tiny" / "walk.yaml").read_text()})
    walk = pack / "walk.yaml"
    view = build(pack, {walk: walk.read_text().replace("goto: home", "goto: hom", 1)})
    assert [(d.code, d.pos.line) for d in view.diagnostics[walk]] == [("ZN012", 29)]
    assert build(pack, {}).diagnostics == {}


def test_a_file_that_does_not_parse_still_offers_its_scenes(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "p", (PACKS / "tiny" / "story.yaml").read_text(),
                      {"walk.yaml": (PACKS / "tiny" / "walk.yaml").read_text()})
    walk = pack / "walk.yaml"
    broken = walk.read_text() + "\n  goto: [\n"
    view = build(pack, {walk: broken})
    assert [d.code for d in view.diagnostics[walk]] == ["ZN004"]
    lines = broken.split("\n")
    found = answers.complete(view, lines, len(lines) - 2, len("  goto: "))
    assert {c.label for c in found} == {"gate", "fork", "fall", "home"}


def test_hover_definition_and_rename_of_values_and_scenes() -> None:
    view = build(PACKS / "tiny", {})
    walk = PACKS / "tiny" / "walk.yaml"
    lines = view.files[walk].lines
    faith_line = next(i for i, line in enumerate(lines) if "guide.faith >= 5" in line)
    col = lines[faith_line].index("guide.faith") + 7
    about = answers.hover(view, walk, faith_line, col)
    assert about is not None and "What the guide still believes" in about and "from 0 to 5" in about
    [declared] = answers.definition(view, walk, faith_line, col)
    story_lines = view.files[PACKS / "tiny" / "story.yaml"].lines
    assert story_lines[declared.line][declared.col:].startswith("faith:")
    assert answers.hover(view, PACKS / "tiny" / "story.yaml", declared.line, declared.col + 1) == about
    with pytest.raises(answers.RenameError, match="not a valid scene id"):
        answers.rename(view, walk, 0, 1, "Gate")
    sid, spots = answers.rename(view, walk, 0, 1, "door")
    assert sid == "gate" and {s.path.name for s in spots} == {"walk.yaml", "story.yaml"}


def test_files_outside_a_pack_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    assert pack_of(tmp_path / "notes.yaml") is None
    assert pack_of(PACKS / "tiny" / "walk.yaml") == PACKS / "tiny"
