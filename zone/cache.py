"""The compile cache: a checked pack stored as plain JSON, like Python's .pyc files.

The key is a hash of the engine's version and every file of the pack, so an
edited pack or a new engine never meets a stale entry. Entries live in the
user's cache folder, never inside the pack. The format is JSON that holds
only texts and numbers: reading it cannot run code, and every expression in it
goes through the same allow-listed compiler as the YAML did. A damaged entry,
or one that does not fit the format, is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from zone import __version__
from zone.diagnostics import CATALOGUE, Diagnostic, Position
from zone.expr import Compiled, CompiledEffect, Symbols, compile_condition, compile_effect, compile_name
from zone.model import Character, Choice, Ending, Outcome, Passage, Scene, Stat, Story, Text

__all__ = ["FORMAT", "cache_folder", "cache_key", "read_entry", "write_entry"]

FORMAT = 1


def cache_folder(vars: Mapping[str, str]) -> Path | None:
    """`ZONE_CACHE` (`off` for none), else $XDG_CACHE_HOME/zone/packs, else ~/.cache/zone/packs."""
    explicit = vars.get("ZONE_CACHE")
    if explicit == "off":
        return None
    if explicit:
        return Path(explicit)
    base = vars.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zone" / "packs"


# The modules whose code decides what a compiled story is: an edit to any of them is a new engine.
_ENGINE_MODULES = ("cache", "compiler", "diagnostics", "expr", "format", "model", "source", "validate")


def _engine_fingerprint() -> str:
    digest = hashlib.sha256(f"zone {__version__} format {FORMAT}".encode())
    here = Path(__file__).resolve().parent
    for name in _ENGINE_MODULES:
        try:
            digest.update((here / f"{name}.py").read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


def cache_key(content_hash: str) -> str:
    """The entry name for a pack: its content and the engine that compiles it."""
    return hashlib.sha256(f"{_engine_fingerprint()}\n{content_hash}".encode()).hexdigest()


# -- writing ----------------------------------------------------------------------------------

def _pos(pos: Position) -> list[Any]:
    return [Path(pos.file).name, pos.line, pos.col]


def _text(text: Text | None) -> Any:
    if text is None:
        return None
    return [p if isinstance(p, str) else {"name": p.source} for p in text.pieces] + [_pos(text.pos)]


def _expr(expr: Compiled | None) -> str | None:
    return None if expr is None else expr.source


def _effects(effects: tuple[CompiledEffect, ...]) -> list[str]:
    return [e.source for e in effects]


def story_to_data(story: Story, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "story": [story.id, story.title, story.version, story.about, story.start, list(story.chapters),
                  [Path(f).name for f in story.files], story.content_hash],
        "stats": [[s.key, s.name, s.owner, s.type, s.default, s.lo, s.hi, s.about, _pos(s.pos), s.label]
                  for s in story.stats.values()],
        "characters": [[c.id, c.name, c.about, list(c.stats), _pos(c.pos)] for c in story.characters.values()],
        "scenes": [
            [sc.id, sc.title, sc.chapter, Path(sc.file).name, _pos(sc.pos),
             [[_text(p.text), _expr(p.condition), _text(p.otherwise)] for p in sc.passages],
             _effects(sc.on_enter),
             [[_text(c.text), _expr(c.condition), _text(c.reason), c.hidden, _effects(c.effects), c.goto,
               [[o.weight, _effects(o.effects), o.goto, _pos(o.pos)] for o in c.outcomes], _pos(c.pos)]
              for c in sc.choices],
             None if sc.ending is None else [sc.ending.id, sc.ending.title, _pos(sc.ending.pos)]]
            for sc in story.scenes.values()
        ],
        "diagnostics": [[d.code, d.message, _pos(d.pos)] for d in diagnostics],
    }


def write_entry(folder: Path, key: str, data: dict[str, Any]) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))
        os.replace(tmp, folder / f"{key}.json")
    except OSError:
        pass


# -- reading ----------------------------------------------------------------------------------

class _Rebuild:
    def __init__(self, prefix: str, symbols: Symbols, files: list[str]) -> None:
        self.prefix = prefix
        self.symbols = symbols
        self.names = {name: f"{prefix}{name}" for name in files if isinstance(name, str) and "/" not in name
                      and "\\" not in name}
        self.memo: dict[tuple[str, str], Any] = {}

    def pos(self, raw: list[Any]) -> Position:
        name, line, col = raw
        return Position(self.names[name], line, col)  # an unknown file name fails the entry

    def expr(self, kind: str, source: Any) -> Any:
        """Each distinct expression is compiled once, by the same allow-listed compiler as YAML."""
        key = (kind, source)
        found = self.memo.get(key)
        if found is None:
            fn = {"if": compile_condition, "do": compile_effect, "name": compile_name}[kind]
            found = self.memo[key] = fn(source, self.symbols)
        return found

    def cond(self, source: Any) -> Compiled | None:
        return None if source is None else self.expr("if", source)

    def effects(self, raw: Any) -> tuple[CompiledEffect, ...]:
        if not raw:
            return ()
        return tuple(self.expr("do", s) for s in raw)

    def text(self, raw: Any) -> Text | None:
        if raw is None:
            return None
        if len(raw) == 2 and type(raw[0]) is str:
            return Text((raw[0],), self.pos(raw[1]))
        pieces: list[str | Compiled] = []
        for piece in raw[:-1]:
            pieces.append(piece if isinstance(piece, str) else self.expr("name", piece["name"]))
        return Text(tuple(pieces), self.pos(raw[-1]))


def story_from_data(data: Any, prefix: str) -> tuple[Story, list[Diagnostic]]:
    """Rebuild a story from an entry; raises (anything) when the entry does not fit."""
    if data.get("format") != FORMAT:
        raise ValueError("other format")
    sid, title, version, about, start, chapters, files, content_hash = data["story"]
    stats: dict[str, Stat] = {}
    symbols_pos = _Rebuild(prefix, Symbols({}, {}, frozenset()), files)
    for key, name, owner, stype, default, lo, hi, s_about, pos, label in data["stats"]:
        if stype not in ("int", "bool") or not isinstance(key, str):
            raise ValueError("bad stat")
        stats[key] = Stat(key, name, owner, stype, bool(default) if stype == "bool" else int(default),
                          int(lo), int(hi), str(s_about), symbols_pos.pos(pos), str(label))
    characters = {c[0]: Character(c[0], c[1], c[2], tuple(c[3]), symbols_pos.pos(c[4])) for c in data["characters"]}
    scene_ids = frozenset(s[0] for s in data["scenes"])
    symbols = Symbols(
        variables=MappingProxyType({k: s.type for k, s in stats.items()}),
        ranges=MappingProxyType({k: (s.lo, s.hi) for k, s in stats.items() if s.type == "int"}),
        entities=frozenset(characters) | {"flags"},
        scenes=scene_ids,
    )
    rb = _Rebuild(prefix, symbols, files)
    names, expr, memo = rb.names, rb.expr, rb.memo

    # The loop below runs once per scene, choice and text of the pack: it binds
    # everything it calls to locals, since this is the whole cost of a cached load.
    def at(raw: list[Any]) -> Position:
        return Position(names[raw[0]], raw[1], raw[2])

    def text(raw: Any) -> Text | None:
        if raw is None:
            return None
        if len(raw) == 2 and type(raw[0]) is str:
            return Text((raw[0],), Position(names[raw[1][0]], raw[1][1], raw[1][2]))
        return rb.text(raw)

    def effects(raw: Any) -> tuple[CompiledEffect, ...]:
        if not raw:
            return ()
        return tuple(memo.get(("do", e)) or expr("do", e) for e in raw)

    def cond(source: Any) -> Compiled | None:
        if source is None:
            return None
        return memo.get(("if", source)) or expr("if", source)  # type: ignore[no-any-return]

    scenes: dict[str, Scene] = {}
    endings: dict[str, Ending] = {}
    for scid, s_title, chapter, file, spos, passages, on_enter, choices, ending in data["scenes"]:
        built_choices = []
        for ctext, ccond, reason, hidden, ceffects, goto, outcomes, cpos in choices:
            if goto is not None and goto not in scene_ids:
                raise ValueError("bad target")
            built_outcomes = []
            for weight, o_effects, o_goto, o_pos in outcomes:
                if o_goto not in scene_ids or not isinstance(weight, int) or weight < 1:
                    raise ValueError("bad outcome")
                built_outcomes.append(Outcome(weight, effects(o_effects), o_goto, at(o_pos)))
            if (goto is None) == (not built_outcomes):
                raise ValueError("bad choice")
            built_choices.append(Choice(text(ctext), cond(ccond), text(reason),  # type: ignore[arg-type]
                                        bool(hidden), effects(ceffects), goto, tuple(built_outcomes), at(cpos)))
        built_ending = None if ending is None else Ending(ending[0], ending[1], at(ending[2]))
        if built_ending is not None:
            endings[built_ending.id] = built_ending
        scenes[scid] = Scene(
            scid, s_title, chapter, names[file],
            tuple(Passage(text(t), cond(c), text(o)) for t, c, o in passages),  # type: ignore[arg-type]
            effects(on_enter), tuple(built_choices), built_ending, at(spos))
    if start not in scenes:
        raise ValueError("bad start")
    story = Story(
        id=sid, title=title, version=version, about=about, start=start,
        characters=MappingProxyType(characters), stats=MappingProxyType(stats),
        scenes=MappingProxyType(scenes), endings=MappingProxyType(endings), chapters=tuple(chapters),
        files=tuple(f"{prefix}{f}" for f in files), content_hash=content_hash,
    )
    diagnostics = []
    for code, message, pos in data["diagnostics"]:
        severity = CATALOGUE[code][0]
        diagnostics.append(Diagnostic(code, severity, str(message), rb.pos(pos)))
    return story, diagnostics


def read_entry(folder: Path, key: str, prefix: str) -> tuple[Story, list[Diagnostic]] | None:
    """The cached story for `key`, or None when there is none or it cannot be used."""
    path = folder / f"{key}.json"
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return story_from_data(data, prefix)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - any damage at all means: rebuild
        with contextlib.suppress(OSError):
            path.unlink()
        return None
