"""A pack as an editor holds it: checked by `zone check`'s own compiler and validator,
with the unsaved buffers in place of the files on disk, and where each scene is
defined and named.

Diagnostics come from `check_pack` (and, when asked, the meaning checks of
`zone check`), so the editor shows exactly what `zone check` prints. The places
that name a scene come from the compiler itself (`compile_story(references=...)`),
so a key the language gains is found without a list kept here.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from zone._files import read_bytes
from zone.diagnostics import Diagnostic, Position
from zone.model import Story
from zone.pack import check_pack, display_name, pack_files
from zone.packformat import ID_PATTERN, STORY_FILE
from zone.source import Node, Source, parse_bytes

__all__ = ["FileText", "PackView", "Spot", "build", "lines_of", "pack_of"]

_NEWLINE = re.compile(r"\r\n|\r|\n")
# A scene id at the start of a line: where scenes are found in a file too broken to parse.
_TOP_KEY = re.compile(r"^([a-z][a-z0-9_]*)[ \t]*:(?=\s|$)", re.M)
_ID = re.compile(ID_PATTERN)


class Spot(NamedTuple):
    """A run of characters in a file: 0-based line and column, counted in characters."""

    path: Path
    line: int
    col: int
    length: int


class FileText:
    """One file's text as the editor has it, with its lines and, when it parses, its nodes."""

    def __init__(self, path: Path, text: str, root: Node | None) -> None:
        self.path = path
        self.text = text
        self.lines = lines_of(text)
        self.starts = [0]
        for m in _NEWLINE.finditer(text):
            self.starts.append(m.end())
        self.root = root
        self.positions: list[tuple[int, int]] = []  # (line, col) of every node, 1-based, in order
        self.scalars: dict[tuple[int, int], Node] = {}
        if root is not None:
            for node, is_key in _walk(root):
                self.positions.append((node.line, node.col))
                if not is_key and isinstance(node.value, str):
                    self.scalars[(node.line, node.col)] = node
            self.positions.sort()

    def offset(self, line: int, col: int) -> int:
        """The index in `text` of a 0-based line and column (clamped to the text)."""
        if line >= len(self.starts):
            return len(self.text)
        return min(self.starts[max(line, 0)] + max(col, 0), len(self.text))

    def place(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def span_after(self, line: int, col: int) -> tuple[int, int]:
        """The text from a node (1-based) to the next node: where a scalar written there lies."""
        i = bisect.bisect_right(self.positions, (line, col))
        end = (self.offset(self.positions[i][0] - 1, self.positions[i][1] - 1) if i < len(self.positions)
               else len(self.text))
        return self.offset(line - 1, col - 1), end


def lines_of(text: str) -> list[str]:
    """A text's lines as editors count them (at \\n, \\r\\n or \\r), without their line breaks."""
    return _NEWLINE.split(text)


def _walk(root: Node) -> Iterator[tuple[Node, bool]]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node, False
        if isinstance(node.value, dict):
            for key, key_node in node.keys.items():
                yield key_node, True
                stack.append(node.value[key])
        elif isinstance(node.value, list):
            stack.extend(node.value)


class PackView(NamedTuple):
    pack: Path
    files: Mapping[Path, FileText]  # story.yaml first, then the scene files
    story: Story | None
    diagnostics: Mapping[Path, list[Diagnostic]]  # what compiling and validating found
    meaning: Mapping[Path, list[Diagnostic]]  # what the meaning checks found, when they ran
    definitions: Mapping[str, tuple[Spot, ...]]  # scene id -> where it is defined (more than one: a mistake)
    references: Mapping[str, tuple[Spot, ...]]  # scene id -> every place it is named

    @property
    def scene_ids(self) -> list[str]:
        return list(self.definitions)


def pack_of(path: Path) -> Path | None:
    """The pack a file belongs to: its folder, when that holds story.yaml."""
    if path.suffix not in (".yaml", ".yml") or not (path.parent / STORY_FILE).is_file():
        return None
    return path.parent


def build(pack: Path, overlay: Mapping[Path, str], *, meaning: bool = False) -> PackView:
    """Check the pack with `overlay` (unsaved text by path) in place of what is on disk.

    With `meaning`, the meaning checks of `zone check` run too, as they do there:
    only on a pack without errors.
    """
    # As in check_pack: reading a pack makes many small objects and no reference cycles,
    # which the cyclic collector would only walk again and again.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _build(pack, overlay, meaning)
    finally:
        if paused:
            gc.enable()


def _build(pack: Path, overlay: Mapping[Path, str], meaning: bool) -> PackView:
    try:
        paths = pack_files(pack)
    except OSError:
        paths = [pack / STORY_FILE]
    names = {p: display_name(p) for p in paths}
    shown = {name: p for p, name in names.items()}
    contents: dict[Path, bytes] = {}
    for path in paths:
        data = overlay[path].encode("utf-8", "surrogatepass") if path in overlay else read_bytes(path, "")[0]
        if data is not None:
            contents[path] = data
    story, found = check_pack(pack, None, contents)
    meant: list[Diagnostic] = []
    if meaning:
        from zone.author.lint import lint, meaning_applies

        if meaning_applies(story, found):
            meant = lint(story)
    files, references = _read(paths, contents, names)
    definitions: dict[str, list[Spot]] = {}
    for text in list(files.values())[1:]:
        for sid, spot in _defined(text):
            definitions.setdefault(sid, []).append(spot)
    spots: dict[str, list[Spot]] = {}
    for sid, pos in references:
        named = shown.get(pos.file)
        if named is not None and named in files:
            spots.setdefault(sid, []).extend(_named(files[named], sid, pos))
    return PackView(pack, files, story, _by_file(found, shown, paths[0]), _by_file(meant, shown, paths[0]),
                    {k: tuple(v) for k, v in definitions.items()},
                    {k: tuple(dict.fromkeys(v)) for k, v in spots.items()})


def _by_file(found: list[Diagnostic], shown: Mapping[str, Path], story_file: Path) -> dict[Path, list[Diagnostic]]:
    out: dict[Path, list[Diagnostic]] = {}
    by_name = {path.name: path for path in shown.values()}  # a pack is one folder: its file names differ
    for d in found:
        path = shown.get(d.pos.file) or by_name.get(d.pos.file.replace("\\", "/").rsplit("/", 1)[-1])
        if path is None:  # said of the pack as a whole: shown at the top of story.yaml
            path, d = story_file, d._replace(pos=Position(d.pos.file))
        out.setdefault(path, []).append(d)
    return out


def _read(paths: list[Path], contents: Mapping[Path, bytes], names: Mapping[Path, str]
          ) -> tuple[dict[Path, FileText], list[tuple[str, Position]]]:
    """Each file's text and nodes, and every place the compiler saw a scene named."""
    from zone.compiler import compile_story

    files: dict[Path, FileText] = {}
    sources: list[Source] = []
    for path in paths:
        data = contents.get(path)
        source, _ = parse_bytes(data, names.get(path, str(path)))
        sources.append(source)
        text = data.decode("utf-8-sig", "replace") if data is not None else ""
        files[path] = FileText(path, text, source.root)
    references: list[tuple[str, Position]] = []
    compile_story(sources[0], iter(sources[1:]), references=references)
    return files, references


def _defined(text: FileText) -> Iterator[tuple[str, Spot]]:
    """The scene ids a scene file defines: its top-level keys (read from the lines when it does not parse)."""
    root = text.root
    if root is not None and isinstance(root.value, dict):
        for sid, key in root.keys.items():
            if _ID.match(sid):
                yield sid, Spot(text.path, key.line - 1, key.col - 1 + key.quoted, len(sid))
    elif root is None:
        for m in _TOP_KEY.finditer(text.text):
            line, col = text.place(m.start(1))
            yield m.group(1), Spot(text.path, line, col, len(m.group(1)))


def _named(text: FileText, sid: str, pos: Position) -> list[Spot]:
    """Where `sid` is written in the node at `pos`: the id itself (a goto), or each `visits.ID` it reads."""
    node = text.scalars.get((pos.line, pos.col))
    line, col = pos.line - 1, pos.col - 1
    if node is not None and node.value == sid:
        start = text.offset(line, col)
        if text.text[start:start + 1] in ("'", '"'):
            col += 1
        if text.text.startswith(sid, text.offset(line, col)):
            return [Spot(text.path, line, col, len(sid))]
        return []
    start, end = text.span_after(pos.line, pos.col)
    out = []
    for m in re.finditer(rf"(?<![\w.])visits\.({re.escape(sid)})(?!\w)", text.text[start:end]):
        at_line, at_col = text.place(start + m.start(1))
        out.append(Spot(text.path, at_line, at_col, len(sid)))
    return out
