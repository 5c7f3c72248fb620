"""A compiled story as plain JSON data, and back, checked like any input from disk.

The compile cache stores what `story_to_data` returns. `story_from_data` trusts
nothing in it: every value is checked for its type and shape, every reference
(a goto, a character's stats, a position's file) must point at something that
exists, and every expression goes through the same allow-listed compiler as
the YAML did. Whatever does not fit raises `BadEntry`, and the cache rebuilds
the story from its source. An entry also never holds an error: only packs
without errors are stored.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from zone import inline
from zone.diagnostics import CATALOGUE, Diagnostic, Position, Severity
from zone.expr import (
    MAX_BLOCK_DEPTH,
    Compiled,
    CompiledEffect,
    Symbols,
    compile_condition,
    compile_effect,
    compile_name,
    conditional,
)
from zone.inline import InlineError, Lit
from zone.model import (
    MAX_CALL_DEPTH,
    Branch,
    Call,
    Character,
    Choice,
    Ending,
    Outcome,
    Passage,
    Scene,
    Stat,
    Story,
    Text,
    Value,
    symbols_of,
)

__all__ = ["BadEntry", "story_from_data", "story_to_data"]


class BadEntry(ValueError):
    """A cache entry that does not fit the format: it is rebuilt, never used."""


def _pos(pos: Position) -> list[Any]:
    return [Path(pos.file).name, pos.line, pos.col]


def _text(text: Text | None) -> Any:
    if text is None:
        return None
    return [text.source, _pos(text.pos)]


def _expr(expr: Compiled | None) -> str | None:
    return None if expr is None else expr.source


def _effects(effects: tuple[CompiledEffect, ...]) -> list[Any]:
    return [_effect(e) for e in effects]


def _effect(effect: CompiledEffect) -> Any:
    """A line's source; a block as {if, do, else}."""
    if effect.op != "if":
        return effect.source
    then, otherwise = effect.branches
    return {"if": effect.value.source, "do": _effects(then), "else": _effects(otherwise)}


def story_to_data(story: Story, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    return {
        "story": [story.id, story.title, story.version, story.about, story.start, list(story.chapters),
                  [Path(f).name for f in story.files], story.content_hash, story.max_call_depth],
        "stats": [[s.key, s.name, s.owner, s.type, s.default, s.lo, s.hi, s.about, _pos(s.pos), s.label,
                   list(s.members), _expr(s.shown_when), s.rises, s.falls, s.pinned] for s in story.stats.values()],
        "characters": [[c.id, c.name, c.about, list(c.stats), _pos(c.pos)] for c in story.characters.values()],
        "scenes": [
            [sc.id, sc.title, sc.chapter, Path(sc.file).name, _pos(sc.pos),
             [[_text(p.text), _expr(p.condition), _text(p.otherwise)] for p in sc.passages],
             _effects(sc.on_enter),
             [[_text(c.text), _expr(c.condition), _text(c.reason), c.hidden, _effects(c.effects), c.goto,
               [[o.weight, _effects(o.effects), o.goto, _pos(o.pos)] for o in c.outcomes], _pos(c.pos),
               [[_expr(b.condition), b.goto, _pos(b.pos)] for b in c.branches], c.auto, c.once, c.fallback,
               None if c.call is None else [c.call.scene, c.call.after, _pos(c.call.pos)], c.returns]
              for c in sc.choices],
             None if sc.ending is None else [sc.ending.id, sc.ending.title, _pos(sc.ending.pos)]]
            for sc in story.scenes.values()
        ],
        "diagnostics": [[d.code, d.message, _pos(d.pos)] for d in diagnostics],
    }


# -- reading: each helper checks one kind of value and raises BadEntry when it does not fit -------------

def _fail(what: str) -> BadEntry:
    return BadEntry(f"bad {what}")


def _str(value: Any, what: str) -> str:
    if type(value) is not str:
        raise _fail(what)
    return value


def _int(value: Any, what: str) -> int:
    if type(value) is not int:
        raise _fail(what)
    return value


def _list(value: Any, what: str, size: int | None = None) -> list[Any]:
    if type(value) is not list or (size is not None and len(value) != size):
        raise _fail(what)
    return value


def _strings(value: Any, what: str) -> tuple[str, ...]:
    return tuple(_str(v, what) for v in _list(value, what))


class _Reader:
    """The checks that need the story's names: files, scenes, and the symbols expressions compile against."""

    def __init__(self, prefix: str, files: tuple[str, ...]) -> None:
        self.names = {name: f"{prefix}{name}" for name in files if "/" not in name and "\\" not in name}
        self.symbols = Symbols(MappingProxyType({}), MappingProxyType({}), frozenset())
        self.scene_ids: frozenset[str] = frozenset()
        self.memo: dict[tuple[str, str], Any] = {}
        self.shown: dict[str, str] = {}  # each stat's `shown` condition, as written

    def pos(self, raw: Any) -> Position:
        if type(raw) is not list or len(raw) != 3:
            raise _fail("position")
        name, line, col = raw
        file = self.names.get(name) if type(name) is str else None
        if file is None or type(line) is not int or type(col) is not int:
            raise _fail("position")
        return Position(file, line, col)

    def expr(self, kind: str, source: Any) -> Any:
        """Each distinct expression is compiled once, by the same allow-listed compiler as YAML."""
        key = (kind, source) if type(source) is str else None
        if key is None:
            raise _fail("expression")
        found = self.memo.get(key)
        if found is None:
            fn = {"if": compile_condition, "do": compile_effect, "name": compile_name}[kind]
            found = self.memo[key] = fn(source, self.symbols)  # ExprError when it does not compile
        return found

    def cond(self, source: Any) -> Compiled | None:
        return None if source is None else self.expr("if", source)

    def effects(self, raw: Any, depth: int = 0) -> tuple[CompiledEffect, ...]:
        if raw == []:
            return ()
        return tuple(self.effect(s, depth) for s in _list(raw, "effects"))

    def effect(self, raw: Any, depth: int) -> CompiledEffect:
        if type(raw) is not dict:
            found: CompiledEffect = self.expr("do", raw)
            return found
        if depth >= MAX_BLOCK_DEPTH or set(raw) != {"if", "do", "else"}:
            raise _fail("effect block")
        then, otherwise = self.effects(raw["do"], depth + 1), self.effects(raw["else"], depth + 1)
        if not then and not otherwise:
            raise _fail("effect block")
        return conditional(self.expr("if", raw["if"]), then, otherwise)

    def text(self, raw: Any) -> Text:
        """A text from its source, parsed again as the compiler parses it (memoised like expressions)."""
        if type(raw) is not list or len(raw) != 2 or type(raw[0]) is not str:
            raise _fail("text")
        source: str = raw[0]
        if "{" not in source and "}" not in source:
            return Text((Lit(source),) if source else (), self.pos(raw[1]), source)
        key = ("text", source)
        if key not in self.memo:
            try:
                self.memo[key] = inline.parse(source, self.symbols)
            except InlineError:
                raise _fail("text") from None
        return Text(self.memo[key], self.pos(raw[1]), source)

    def maybe_text(self, raw: Any) -> Text | None:
        return None if raw is None else self.text(raw)

    def scene_id(self, value: Any, what: str) -> str:
        if value not in self.scene_ids or type(value) is not str:
            raise _fail(what)
        return value


def _stat(rd: _Reader, raw: Any, owners: frozenset[str]) -> tuple[Stat, str | None]:
    """A stat, and the source of its `shown` condition (compiled once every name is known)."""
    key, name, owner, stype, default, lo, hi, about, pos, label, members, shown, rises, falls, pinned = _list(
        raw, "stat", 15)
    for text in (key, name, about, label, rises, falls):
        _str(text, "stat")
    unprefixed = owner in ("items", "vars")
    if owner not in owners or type(owner) is not str or key != (name if unprefixed else f"{owner}.{name}"):
        raise _fail("stat owner")
    names = _strings(members, "stat values")
    if type(pinned) is not bool:
        raise _fail("stat")
    value: Value
    if stype == "bool":
        if type(default) is not bool or (lo, hi) != (0, 1) or names:
            raise _fail("stat")
        value = default
    elif stype == "int" or (stype == f"enum:{key}" and len(names) >= 2 and (lo, hi) == (0, len(names) - 1)):
        value = _int(default, "stat")
        if not _int(lo, "stat") <= value <= _int(hi, "stat") or (stype == "int" and names):
            raise _fail("stat range")
    else:
        raise _fail("stat type")
    return (Stat(key, name, owner, stype, value, lo, hi, about, rd.pos(pos), label, names, rises=rises, falls=falls,
                 pinned=pinned),
            None if shown is None else _str(shown, "stat"))


def _characters_and_stats(rd: _Reader, data: dict[str, Any]) -> tuple[dict[str, Character], dict[str, Stat]]:
    characters: dict[str, Character] = {}
    for raw in _list(data.get("characters"), "characters"):
        cid, name, about, keys, pos = _list(raw, "character", 5)
        if cid in characters or cid in ("flags", "items", "vars", "once"):
            raise _fail("character id")
        characters[_str(cid, "character")] = Character(cid, _str(name, "character"), _str(about, "character"),
                                                       _strings(keys, "character"), rd.pos(pos))
    stats: dict[str, Stat] = {}
    owners = frozenset(characters) | {"flags", "items", "vars", "once"}
    for raw in _list(data.get("stats"), "stats"):
        stat, shown = _stat(rd, raw, owners)
        if shown is not None:
            rd.shown[stat.key] = shown
        if stat.key in stats:
            raise _fail("stat key")
        stats[stat.key] = stat
    for character in characters.values():
        if character.stats != tuple(k for k, s in stats.items() if s.owner == character.id):
            raise _fail("character stats")
    return characters, stats


def _choice(rd: _Reader, raw: Any) -> Choice:
    text, cond, reason, hidden, effects, goto, outcomes, pos, raw_branches, auto, once, fallback, raw_call, returns = (
        _list(raw, "choice", 14))
    if type(hidden) is not bool or type(auto) is not bool or type(fallback) is not bool or type(returns) is not bool:
        raise _fail("choice")
    call = None
    if raw_call is not None:
        c_scene, c_after, c_pos = _list(raw_call, "call", 3)
        call = Call(rd.scene_id(c_scene, "call"), None if c_after is None else rd.scene_id(c_after, "call"),
                    rd.pos(c_pos))
    if once != "" and (type(once) is not str or not once.startswith("once.")
                       or rd.symbols.variables.get(once) != "bool"):
        raise _fail("choice once")
    branches = tuple(Branch(rd.cond(b_cond), rd.scene_id(b_goto, "goto"), rd.pos(b_pos))
                     for b_cond, b_goto, b_pos in (_list(b, "branch", 3) for b in _list(raw_branches, "branches")))
    if branches and (branches[-1].condition is not None or any(b.condition is None for b in branches[:-1])):
        raise _fail("branches")
    built: list[Outcome] = []
    for outcome in _list(outcomes, "outcomes"):
        weight, o_effects, o_goto, o_pos = _list(outcome, "outcome", 4)
        if _int(weight, "outcome weight") < 1:
            raise _fail("outcome weight")
        built.append(Outcome(weight, rd.effects(o_effects), rd.scene_id(o_goto, "outcome"), rd.pos(o_pos)))
    if (goto is not None) + bool(built) + bool(branches) + (call is not None) + returns != 1:
        raise _fail("choice target")
    return Choice(rd.text(text), rd.cond(cond), rd.maybe_text(reason), hidden, rd.effects(effects),
                  None if goto is None else rd.scene_id(goto, "goto"), tuple(built), rd.pos(pos), branches, auto,
                  once, fallback, call, returns)


def _scene(rd: _Reader, raw: Any) -> Scene:
    sid, title, chapter, file, pos, passages, on_enter, choices, ending = _list(raw, "scene", 9)
    if file not in rd.names:
        raise _fail("scene file")
    built_ending = None
    if ending is not None:
        eid, etitle, epos = _list(ending, "ending", 3)
        built_ending = Ending(_str(eid, "ending"), _str(etitle, "ending"), rd.pos(epos))
        if choices:
            raise _fail("ending with choices")
    built_passages = []
    for passage in _list(passages, "passages"):
        ptext, pcond, otherwise = _list(passage, "passage", 3)
        built_passages.append(Passage(rd.text(ptext), rd.cond(pcond), rd.maybe_text(otherwise)))
    return Scene(sid, _str(title, "scene title"), _str(chapter, "chapter"), rd.names[file], tuple(built_passages),
                 rd.effects(on_enter), tuple(_choice(rd, c) for c in _list(choices, "choices")), built_ending,
                 rd.pos(pos))


def _diagnostics(rd: _Reader, raw: Any) -> list[Diagnostic]:
    diagnostics = []
    for item in _list(raw, "diagnostics"):
        code, message, pos = _list(item, "diagnostic", 3)
        severity = CATALOGUE[code][0] if type(code) is str and code in CATALOGUE else None
        if severity is not Severity.WARNING:  # entries are written for packs without errors only
            raise _fail("diagnostic")
        diagnostics.append(Diagnostic(code, severity, _str(message, "diagnostic"), rd.pos(pos)))
    return diagnostics


def story_from_data(data: Any, prefix: str) -> tuple[Story, list[Diagnostic]]:
    """Rebuild a story from an entry; BadEntry or ExprError when the entry does not fit."""
    if type(data) is not dict:
        raise _fail("entry")
    sid, title, version, about, start, chapters, files, content_hash, depth = _list(data.get("story"), "story", 9)
    for value in (sid, title, version, about, start, content_hash):
        _str(value, "story")
    if not 1 <= _int(depth, "max_call_depth") <= MAX_CALL_DEPTH:
        raise _fail("max_call_depth")
    rd = _Reader(prefix, _strings(files, "files"))
    characters, stats = _characters_and_stats(rd, data)
    raw_scenes = _list(data.get("scenes"), "scenes")
    rd.scene_ids = frozenset(s[0] for s in raw_scenes if type(s) is list and s and type(s[0]) is str)
    if len(rd.scene_ids) != len(raw_scenes) or start not in rd.scene_ids:
        raise _fail("scene ids")
    rd.symbols = symbols_of(stats, characters, rd.scene_ids)
    for key, shown in rd.shown.items():
        stats[key] = stats[key]._replace(shown_when=rd.cond(shown))
    scenes = {s.id: s for s in (_scene(rd, raw) for raw in raw_scenes)}
    endings = {s.ending.id: s.ending for s in scenes.values() if s.ending is not None}
    if len(endings) != sum(1 for s in scenes.values() if s.ending is not None):
        raise _fail("ending ids")
    story = Story(
        id=sid, title=title, version=version, about=about, start=start,
        characters=MappingProxyType(characters), stats=MappingProxyType(stats),
        scenes=MappingProxyType(scenes), endings=MappingProxyType(endings), chapters=_strings(chapters, "chapters"),
        files=tuple(rd.names[f] for f in files if f in rd.names), content_hash=content_hash, max_call_depth=depth,
    )
    if len(story.files) != len(files):
        raise _fail("files")
    return story, _diagnostics(rd, data.get("diagnostics"))
