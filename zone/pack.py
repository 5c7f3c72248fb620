"""A scene pack on disk: find its files, read them, compile and validate.

`check_pack` returns every diagnostic; `load_pack` returns the story or raises
`PackError`. The bundled pack lives in `scenes/` of a checkout, and inside the
package (`zone/scenes`) once installed.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from zone._files import read_bytes
from zone.diagnostics import Diagnostic, Position, make
from zone.errors import PackError
from zone.packformat import STORY_FILE

if TYPE_CHECKING:
    from zone.model import Story
    from zone.source import Source

__all__ = ["TESTS_FOLDER", "bundled_pack", "check_pack", "display_name", "load_pack", "pack_files", "pack_id",
           "pack_label"]

MAX_FILES = 500
TESTS_FOLDER = "tests"  # the pack's story tests: recorded runs and their blessed transcripts (`zone test`)


def bundled_pack() -> Path:
    """The game that ships with Zone."""
    here = Path(__file__).resolve().parent
    checkout = here.parent / "scenes"
    if (checkout / STORY_FILE).is_file():
        return checkout
    return here / "scenes"


def display_name(path: Path) -> str:
    """A path as the person would type it: as they gave it.

    A relative path stays relative and an absolute one absolute: made relative to the
    working folder, `/srv/mypack` read from `/` as `srv/mypack`, and the bundled game
    installed in `/tmp/v` as `v/lib/python3.11/...`, which look like typing mistakes.
    """
    return str(path)


def pack_label(pack: Path) -> str:
    """A pack folder as a summary line names it: as typed, but the current folder by its own name
    ('walk (this folder)'), since '.' alone reads as punctuation."""
    if pack != Path("."):
        return display_name(pack)
    name = Path.cwd().name
    return f"{name} (this folder)" if name else "this folder"


def pack_id(folder: Path) -> str | None:
    """The id a folder's story.yaml declares, read without compiling the pack; None when there is none to read."""
    from zone.source import parse_bytes

    data, _ = read_bytes(folder / STORY_FILE, STORY_FILE)
    if data is None:
        return None
    root = parse_bytes(data, STORY_FILE)[0].root
    node = root.value.get("id") if root is not None and isinstance(root.value, dict) else None
    return node.value if node is not None and isinstance(node.value, str) else None


def _scene_files(pack: Path) -> list[Path]:
    """Every scene file of the pack in name order, however many there are."""
    return sorted(p for p in pack.iterdir() if p.suffix in (".yaml", ".yml") and p.name != STORY_FILE
                  and not p.name.startswith("."))


def pack_files(pack: Path, scene_files: list[Path] | None = None) -> list[Path]:
    """story.yaml first, then the scene files in name order, at most MAX_FILES of them."""
    return [pack / STORY_FILE, *(_scene_files(pack) if scene_files is None else scene_files)[:MAX_FILES]]


def _too_many(pack: Path, scene_files: list[Path]) -> list[Diagnostic]:
    """ZN039 when there are more scene files than are read."""
    if len(scene_files) <= MAX_FILES:
        return []
    skipped = f"the last {len(scene_files) - MAX_FILES} (from {scene_files[MAX_FILES].name} on)"
    return [make("ZN039", Position(display_name(pack)), count=len(scene_files), limit=MAX_FILES, skipped=skipped)]


def check_pack(pack: Path, cache: Path | None = None, overlay: Mapping[Path, bytes] | None = None
               ) -> tuple[Story | None, list[Diagnostic]]:
    """Compile and validate the pack at `pack`, collecting every problem.

    The story is None only when there is no pack to compile (no folder, no
    story.yaml); with errors it is what could be built of the pack, for tools that
    show a pack as it is being written, and nothing may play it.

    With a `cache` folder, a pack whose files are unchanged since its last clean
    compile is rebuilt from the compile cache instead of being parsed again.

    `overlay` holds files as an editor has them, unsaved, by path (`pack / name`):
    they are checked in place of what is on disk.
    """
    # Loading builds hundreds of thousands of small objects and no reference
    # cycles; the cyclic collector would only walk them again and again.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _check_pack(pack, cache, overlay or {})
    finally:
        if paused:
            gc.enable()


def _check_pack(pack: Path, cache: Path | None, overlay: Mapping[Path, bytes]
                ) -> tuple[Story | None, list[Diagnostic]]:
    name = display_name(pack)
    if not pack.is_dir():
        what = "pack" if not pack.exists() else "pack (it is a file, not a folder)"
        return None, [make("ZN001", Position(name), what=what, reason="no such folder" if not pack.exists()
                           else "a pack is a folder")]
    if not os.path.lexists(pack / STORY_FILE):
        return None, [make("ZN027", Position(name), path=name)]
    try:
        scene_files = _scene_files(pack)
    except OSError as exc:
        return None, [make("ZN001", Position(name), what="pack", reason=exc.strerror or exc)]
    files = pack_files(pack, scene_files)
    diags = _too_many(pack, scene_files)
    contents: list[tuple[str, bytes | None]] = []
    digest = hashlib.sha256()
    for path in files:
        shown = display_name(path)
        data, found = (overlay[path], []) if path in overlay else read_bytes(path, shown)
        diags.extend(found)
        contents.append((shown, data))
        file_digest = hashlib.sha256(data).hexdigest() if data is not None else ""
        digest.update(f"{path.name}\0{file_digest}\n".encode())
    content_hash = digest.hexdigest()
    prefix = display_name(pack / "x")[:-1]
    if cache is not None and not diags:
        from zone.cache import cache_key, read_entry

        entry = read_entry(cache, cache_key(content_hash), prefix)
        if entry is not None:
            return entry
    # Only a pack that is not in the cache needs the YAML reader and the compiler.
    from zone.compiler import compile_story
    from zone.source import parse_bytes
    from zone.validate import validate

    def parsed() -> Iterator[Source]:
        for shown, data in contents[1:]:
            source, found = parse_bytes(data, shown)
            diags.extend(found)
            yield source

    story_source, found = parse_bytes(contents[0][1], contents[0][0])
    diags.extend(found)
    story, found = compile_story(story_source, parsed(), content_hash)
    diags.extend(found)
    if not any(d.is_error for d in diags):
        diags.extend(validate(story))
    diags.sort(key=lambda d: (d.pos.file, d.pos.line, d.pos.col))
    if cache is not None and not any(d.is_error for d in diags):
        from zone.cache import cache_key, story_to_data, write_entry

        write_entry(cache, cache_key(content_hash), story_to_data(story, diags))
    return story, diags


def load_pack(pack: Path, cache: Path | None = None) -> Story:
    story, diags = check_pack(pack, cache)
    if story is None or any(d.is_error for d in diags):
        raise PackError(diags, pack)
    return story
