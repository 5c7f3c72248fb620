"""The answers of the language server, as plain values: what to complete, what a name is,
where a scene is defined and named, what a rename changes, the outline of a file.

Positions are 0-based lines and columns counted in characters; the server turns
them into the editor's units.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from zone.lsp.cursor import context, word_at
from zone.lsp.packview import FileText, PackView, Spot
from zone.model import Stat, show_value
from zone.packformat import ID_PATTERN

__all__ = ["Completion", "RenameError", "Symbol", "complete", "definition", "hover", "references", "rename",
           "scene_at", "symbols"]

_MEMBER = re.compile(r"([a-z_][a-z0-9_.]*)\s*(?:==|!=|=)\s*([a-z0-9_]*)$")
_PARTIAL_NAME = re.compile(r"[a-z_][a-z0-9_.]*$|$")
_PARTIAL_ID = re.compile(r"[a-z0-9_]*$")
_ID = re.compile(ID_PATTERN)
_FIRST_LINE = 200


class Completion(NamedTuple):
    label: str  # what is inserted, replacing the text from `start` to the cursor
    kind: str  # "scene", "value", "member", "name"
    detail: str
    start: int  # the column where the partly typed word begins


class Symbol(NamedTuple):
    name: str
    detail: str
    selection: Spot  # the scene id
    end_line: int  # the scene's last line


class RenameError(Exception):
    """A rename that cannot be done; the message says why, for the author."""


# -- what is at the cursor -------------------------------------------------------------------------
def scene_at(view: PackView, path: Path, line: int, col: int) -> tuple[str, Spot] | None:
    """The scene id under the cursor: where a scene is defined, or any place that names it."""
    for table in (view.definitions, view.references):
        for sid, spots in table.items():
            for spot in spots:
                if spot.path == path and spot.line == line and spot.col <= col <= spot.col + spot.length:
                    return sid, spot
    text = view.files.get(path)
    if text is None or line >= len(text.lines):
        return None
    # A file being typed in may not parse: a scene key's value is taken as written.
    word, start = word_at(text.lines[line], col)
    if word in view.definitions and context(text.lines, line, col).kind == "scene":
        return word, Spot(path, line, start, len(word))
    return None


def _stat_at(view: PackView, text: FileText, line: int, col: int) -> Stat | None:
    story = view.story
    if story is None or line >= len(text.lines):
        return None
    word, _ = word_at(text.lines[line], col)
    stat = story.stats.get(word)
    if stat is not None and ("." in word or context(text.lines, line, col).kind in ("expression", "inline")):
        return stat
    if text.path == next(iter(view.files)):  # where story.yaml declares it
        for declared in story.stats.values():
            pos = declared.pos
            if pos.line - 1 == line and pos.col - 1 <= col <= pos.col - 1 + len(declared.name):
                return declared
    return None


# -- completion ------------------------------------------------------------------------------------
def complete(view: PackView, lines: list[str], line: int, col: int) -> list[Completion]:
    """Scene ids where a scene is named; values, enumeration members and `visits.` in expressions and
    inside `{...}` of text."""
    where = context(lines, line, col)
    if where.kind == "scene":
        typed = _PARTIAL_ID.search(where.value)
        start = col - len(typed.group() if typed else "")
        return [Completion(sid, "scene", _title(view, sid), start) for sid in view.scene_ids]
    if where.kind not in ("expression", "inline"):
        return []
    member = _MEMBER.search(where.value)
    if member is not None and view.story is not None:
        stat = view.story.stats.get(member.group(1))
        if stat is not None and stat.members:
            start = col - len(member.group(2))
            return [Completion(m, "member", f"a value of {stat.key}", start) for m in stat.members]
    typed = _PARTIAL_NAME.search(where.value)
    prefix = typed.group() if typed else ""
    owner = prefix.rsplit(".", 1)[0] + "." if "." in prefix else ""
    return [c._replace(start=col - len(prefix)) for c in _names(view) if c.label.startswith(owner)]


def _names(view: PackView) -> Iterator[Completion]:
    story = view.story
    if story is not None:
        for key, stat in story.stats.items():
            if stat.owner != "once":
                yield Completion(key, "value", stat.about, 0)
    yield Completion("turn", "name", "the number of choices made so far", 0)
    for sid in view.scene_ids:
        yield Completion(f"visits.{sid}", "name", f"times '{_title(view, sid)}' was entered", 0)


# -- hover -----------------------------------------------------------------------------------------
def hover(view: PackView, path: Path, line: int, col: int) -> str | None:
    """Markdown about the scene or value under the cursor."""
    found = scene_at(view, path, line, col)
    if found is not None:
        return _about_scene(view, found[0])
    text = view.files.get(path)
    stat = _stat_at(view, text, line, col) if text is not None else None
    return _about_stat(stat) if stat is not None else None


def _title(view: PackView, sid: str) -> str:
    story = view.story
    scene = story.scenes.get(sid) if story is not None else None
    return scene.title if scene is not None else sid


def _about_scene(view: PackView, sid: str) -> str:
    story = view.story
    scene = story.scenes.get(sid) if story is not None else None
    lines = [f"**{_title(view, sid)}** (scene `{sid}`)"]
    if scene is not None and scene.passages:
        first = scene.passages[0].text.source.split("\n", 1)[0]
        lines.append(first if len(first) <= _FIRST_LINE else first[:_FIRST_LINE].rsplit(" ", 1)[0] + " ...")
    if scene is not None and scene.ending is not None:
        lines.append(f"An ending: *{scene.ending.title}*")
    return "\n\n".join(lines)


def _about_stat(stat: Stat) -> str:
    if stat.members:
        kind = f"one of {', '.join(stat.members)}; `{stat.members[int(stat.default)]}` at the start"
    elif stat.type == "bool":
        kind = f"true or false; {show_value(bool(stat.default))} at the start"
    else:
        kind = f"a whole number from {stat.lo} to {stat.hi}; {stat.default} at the start"
    title = f"**{stat.label}** (`{stat.key}`)" if stat.label else f"`{stat.key}`"
    return "\n\n".join(part for part in (title, stat.about, kind) if part)


# -- definitions, references, rename ---------------------------------------------------------------
def definition(view: PackView, path: Path, line: int, col: int) -> list[Spot]:
    found = scene_at(view, path, line, col)
    if found is not None:
        return list(view.definitions.get(found[0], ()))
    text = view.files.get(path)
    stat = _stat_at(view, text, line, col) if text is not None else None
    if stat is None or stat.pos.line <= 0:
        return []
    story_file = next(iter(view.files.values()))  # values are declared in story.yaml
    return [Spot(story_file.path, stat.pos.line - 1, stat.pos.col - 1, len(stat.name))]


def references(view: PackView, path: Path, line: int, col: int, *, declaration: bool = True) -> list[Spot]:
    found = scene_at(view, path, line, col)
    if found is None:
        return []
    sid = found[0]
    return [*(view.definitions.get(sid, ()) if declaration else ()), *view.references.get(sid, ())]


def rename(view: PackView, path: Path, line: int, col: int, new: str) -> tuple[str, list[Spot]]:
    """The scene under the cursor and every place to write `new` instead: its definition and each
    reference, in every file of the pack."""
    found = scene_at(view, path, line, col)
    if found is None:
        raise RenameError("only a scene id can be renamed here: put the cursor on one")
    sid = found[0]
    if not _ID.match(new):  # the compiler's own rule for a scene id
        raise RenameError(f"'{new}' is not a valid scene id: use lowercase letters, digits and _")
    if new != sid and new in view.definitions:
        raise RenameError(f"scene '{new}' already exists")
    return sid, references(view, path, line, col)


# -- the outline -----------------------------------------------------------------------------------
def symbols(view: PackView, path: Path) -> list[Symbol]:
    """The scenes of a file, in order, each from its id to the line before the next."""
    text = view.files.get(path)
    if text is None:
        return []
    spots = sorted((spot.line, sid, spot) for sid, found in view.definitions.items() for spot in found
                   if spot.path == path)
    out = []
    for i, (line, sid, spot) in enumerate(spots):
        end = spots[i + 1][0] - 1 if i + 1 < len(spots) else len(text.lines) - 1
        while end > line and not text.lines[end].strip():
            end -= 1
        out.append(Symbol(sid, _title(view, sid), spot, end))
    return out
