"""Source nodes become a frozen `Story`, every problem collected as a diagnostic.

The compiler never stops at the first problem: it reports all it can find,
then `validate` adds the checks that need the whole graph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from types import MappingProxyType

from zone._reading import ID, NodeReader, describe
from zone.diagnostics import Diagnostic, Position, did_you_mean, make
from zone.expr import MAX_CONSTANT, Symbols, compile_effect
from zone.inline import Lit
from zone.model import (
    DEFAULT_CALL_DEPTH,
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
    symbols_of,
)
from zone.packformat import RESERVED_NAMES
from zone.source import Node, Source

__all__ = ["compile_story"]


@dataclass
class Header:
    """What story.yaml declares, as far as it could be read: empty text where a value is missing."""

    id: str = ""
    title: str = ""
    version: str = ""
    about: str = ""
    start: str | None = None
    start_node: Node | None = None  # where the start is named, for "unknown scene" diagnostics
    stats: dict[str, Stat] = field(default_factory=dict)
    characters: dict[str, Character] = field(default_factory=dict)
    chapters: dict[str, str] = field(default_factory=dict)
    max_call_depth: int = DEFAULT_CALL_DEPTH


class _Compiler(NodeReader):
    """Compiles story.yaml first, then each scene file as it arrives, so that a file's
    node tree can be dropped as soon as its scenes are built. Checks that need every
    scene id (goto targets, `visits.x`, the start scene) wait for `finish`."""

    def __init__(self, story_source: Source) -> None:
        super().__init__()
        self.story_source = story_source
        self.names: list[str] = [story_source.name]
        self.unread: list[str] = []  # scene files that could not be read or parsed
        self.scene_ids: dict[str, Position] = {}
        self.scenes: dict[str, Scene] = {}
        self.chapter_order: list[str] = []
        self.header = Header()
        self.pending_shown: dict[str, tuple[Source, Node]] = {}  # `shown` conditions, compiled once names are known
        self.pending_calls: list[tuple[str, Position]] = []  # called scenes, checked once every scene id is known

    # -- the story file ----------------------------------------------------------------
    def story_header(self) -> Header:
        """story.yaml: the pack's identity, its declared values and its chapter titles."""
        src = self.story_source
        root = src.root
        header = Header()
        self.names_known = False  # until story.yaml is known to be a mapping that may declare them
        if root is None:
            if src.readable:
                self.diags.append(make("ZN037", Position(src.name, 1, 1)))
            return header
        top = self.fields(src, root, "story", "story.yaml")
        if top is None:
            return header
        self.names_known = True
        header.id = self.ident(src, top.get("id"), "pack id") or ""
        header.title = self.string(src, top.get("title"), "title") or ""
        header.version = self.version(src, top.get("version"))
        header.start = self.ident(src, top.get("start"), "start scene")
        header.start_node = top.get("start")
        header.about = self.string(src, top.get("about"), "about") or "" if "about" in top else ""
        if "author" in top:
            self.string(src, top["author"], "author")
        self.characters(src, top.get("characters"), header)
        for name, key_node, node in self.declared(src, top.get("flags"), "flags", "flag name"):
            self.declare(header, src, key_node, self.flag(src, name, key_node, node))
        for name, key_node, node in self.declared(src, top.get("items"), "items", "item name", header.characters):
            self.declare(header, src, key_node, self.stat(src, key_node, name, node, "items", kind="item"))
        for name, key_node, node in self.declared(src, top.get("vars"), "vars", "value name", header.characters):
            self.declare(header, src, key_node, self.stat(src, key_node, name, node, "vars", kind="var"))
        header.chapters = self.chapter_titles(src, top.get("chapters"))
        if "max_call_depth" in top:
            depth = self.integer(src, top["max_call_depth"], "max_call_depth")
            if depth is not None and not 1 <= depth <= MAX_CALL_DEPTH:
                self.report("ZN024", src, top["max_call_depth"],
                            what=f"max_call_depth must be from 1 to {MAX_CALL_DEPTH}, not {depth}")
            elif depth is not None:
                header.max_call_depth = depth
        return header

    def version(self, src: Source, node: Node | None) -> str:
        if node is not None and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            self.report("ZN010", src, node, what="version", expected="text (write version: \"1.0\")", got="a number")
            return ""
        return self.string(src, node, "version") or ""

    def declared(self, src: Source, node: Node | None, what: str, name_kind: str,
                 taken: Collection[str] = ()) -> Iterator[tuple[str, Node, Node]]:
        """The entries of a declaration mapping (characters, flags or items) whose names can be used:
        (name, its key node, its value node). One that is malformed, reserved or `taken` is reported."""
        if node is None:
            return
        if not isinstance(node.value, dict):
            self.report("ZN010", src, node, what=what, expected="a mapping", got=describe(node))
            return
        for name, value in node.value.items():
            key_node = node.keys[name]
            if not ID.match(name) or name in RESERVED_NAMES or name in taken:
                self.report("ZN023", src, key_node, name=name, what=name_kind)
                continue
            yield name, key_node, value

    def declare(self, header: Header, src: Source, node: Node, stat: Stat | None) -> None:
        """Add a declared value to the header; a second declaration of the same key is reported."""
        if stat is None:
            return
        if stat.key in header.stats:
            self.report("ZN028", src, node, name=stat.key, first=header.stats[stat.key].pos)
        else:
            header.stats[stat.key] = stat

    def characters(self, src: Source, node: Node | None, header: Header) -> None:
        for cid, key_node, cnode in self.declared(src, node, "characters", "character id"):
            cfields = self.fields(src, cnode, "character", f"character '{cid}'")
            if cfields is None:
                continue
            keys: list[str] = []
            snode = cfields.get("stats")
            if snode is not None and not isinstance(snode.value, dict):
                self.report("ZN010", src, snode, what="stats", expected="a mapping", got=describe(snode))
            elif snode is not None and isinstance(snode.value, dict):
                for sname, sval in snode.value.items():
                    stat = self.stat(src, snode.keys[sname], sname, sval, cid)
                    self.declare(header, src, snode.keys[sname], stat)
                    if stat is not None:
                        keys.append(stat.key)
            header.characters[cid] = Character(
                cid, self.string(src, cfields.get("name"), "name") or cid,
                self.string(src, cfields.get("about"), "about") or "", tuple(keys), src.pos(key_node))

    def flag(self, src: Source, name: str, key_node: Node, node: Node) -> Stat:
        if isinstance(node.value, dict):
            ff = self.fields(src, node, "flag", f"flag '{name}'") or {}
            about = self.string(src, ff.get("about"), "about") or ""
        else:
            about = self.string(src, node, f"flag '{name}' (its one-line description)") or ""
        return Stat(f"flags.{name}", name, "flags", "bool", False, 0, 1, about, src.pos(key_node))

    def chapter_titles(self, src: Source, node: Node | None) -> dict[str, str]:
        chapters: dict[str, str] = {}
        if node is None:
            return chapters
        if not isinstance(node.value, dict):
            self.report("ZN010", src, node, what="chapters", expected="a mapping of file name to title",
                        got=describe(node))
            return chapters
        for stem, tnode in node.value.items():
            title = self.string(src, tnode, f"chapter title for '{stem}'")
            if title is not None:
                chapters[stem] = title
        return chapters

    def stat(self, src: Source, key_node: Node, name: str, node: Node, owner: str, *, kind: str = "stat"
             ) -> Stat | None:
        """A declared value: a character's stat, an item, or a story-wide value (`kind` "stat", "item", "var")."""
        what = {"item": f"item '{name}'", "var": f"value '{name}'"}.get(kind, f"stat '{owner}.{name}'")
        if not ID.match(name):
            self.report("ZN023", src, key_node, name=name, what="stat name")
            return None
        f = self.fields(src, node, kind, what)
        if f is None:
            return None
        about = self.string(src, f.get("about"), "about") or ""
        label = self.string(src, f.get("name"), "name") or "" if "name" in f else ""
        key = f"{owner}.{name}" if kind == "stat" else name
        rises, falls = ((self.string(src, f[k], k) or "") if k in f else "" for k in ("rises", "falls"))
        pinned = bool(self.boolean(src, f["pin"], "pin")) if "pin" in f else False
        base = Stat(key, name, owner, "int", 0, 0, 0, about, src.pos(key_node), label, rises=rises, falls=falls,
                    pinned=pinned)
        if "values" in f:
            stat = self.enum_stat(src, f, base, what)
        else:
            stype = self.stat_type(src, f)
            if stype is None:
                return None
            stat = self.bool_stat(src, f, base, what) if stype == "bool" else self.int_stat(src, node, f, base, what)
            if stat is None:  # reported; the name stays known with its type, so its uses say nothing more
                lo, hi = (0, 100) if "percent" in f and f["percent"].value is True else (-MAX_CONSTANT, MAX_CONSTANT)
                stat = (base._replace(type="bool", default=False, lo=0, hi=1) if stype == "bool"
                        else base._replace(lo=lo, hi=hi))
        if stat is not None and "shown" in f:
            self.pending_shown[stat.key] = (src, f["shown"])
        return stat

    def stat_type(self, src: Source, f: dict[str, Node]) -> str | None:
        """"int" or "bool": as written, else as the default suggests; None (reported) for anything else."""
        type_node, dnode = f.get("type"), f.get("default")
        if type_node is None:
            return "bool" if dnode is not None and isinstance(dnode.value, bool) else "int"
        t = self.string(src, type_node, "type")
        if t in ("int", "bool"):
            return t
        if t is not None:
            self.report("ZN010", src, type_node, what="type", expected="int or bool", got=f"'{t}'")
        return None

    def bool_stat(self, src: Source, f: dict[str, Node], base: Stat, what: str) -> Stat | None:
        for key in ("range", "percent"):
            if key in f:
                self.report("ZN024", src, f[key], what=f"{what} is true/false and takes no {key}")
        dnode = f.get("default")
        default = self.boolean(src, dnode, "default") if dnode is not None else False
        if default is None:
            return None
        return base._replace(type="bool", default=default, lo=0, hi=1)

    def int_stat(self, src: Source, node: Node, f: dict[str, Node], base: Stat, what: str) -> Stat | None:
        percent = self.boolean(src, f["percent"], "percent") if "percent" in f else False
        rnode = f.get("range")
        if percent and rnode is not None:
            self.report("ZN024", src, rnode, what=f"{what} is a percentage, so its range is [0, 100]; leave out "
                                                  "'range'")
            return None
        if percent:
            lo, hi = 0, 100
        elif rnode is None:
            self.report("ZN014", src, node, where=what, key="range")
            return None
        elif not isinstance(rnode.value, list) or len(rnode.value) != 2:
            self.report("ZN010", src, rnode, what="range", expected="[lowest, highest]", got=describe(rnode))
            return None
        else:
            bounds = self.integer(src, rnode.value[0], "range"), self.integer(src, rnode.value[1], "range")
            if bounds[0] is None or bounds[1] is None:
                return None
            lo, hi = bounds[0], bounds[1]
        dnode = f.get("default")
        dflt = self.integer(src, dnode, "default")
        if dflt is None:
            return None
        if lo > hi:
            self.report("ZN024", src, rnode, what=f"range of {what}: {lo} is above {hi}")
            return None
        if not lo <= dflt <= hi:
            self.report("ZN024", src, dnode, what=f"default {dflt} of {what} is outside its range [{lo}, {hi}]")
            return None
        return base._replace(default=dflt, lo=lo, hi=hi)

    def enum_stat(self, src: Source, f: dict[str, Node], base: Stat, what: str) -> Stat | None:
        """A value among named ones: `values: [asleep, truth, lie, silent]`, `default: asleep`."""
        for key in ("type", "range", "percent"):
            if key in f:
                self.report("ZN024", src, f[key], what=f"{what} takes one of its values and no {key}")
        vnode = f["values"]
        if not isinstance(vnode.value, list) or len(vnode.value) < 2:
            self.report("ZN010", src, vnode, what="values", expected="a list of at least two names",
                        got=describe(vnode))
            return None
        members: list[str] = []
        for item in vnode.value:
            member = self.ident(src, item, "value name")
            if member is not None and member in members:
                self.report("ZN028", src, item, name=member, first=src.pos(vnode))
            elif member is not None:
                members.append(member)
        if len(members) != len(vnode.value):
            return None
        # With a mistaken default the value is still declared, with its values, so its uses are checked.
        stat = base._replace(type=f"enum:{base.key}", default=0, lo=0, hi=len(members) - 1, members=tuple(members))
        dnode = f.get("default")
        default = self.ident(src, dnode, "default")
        if default is None:
            return stat
        if default not in members:
            self.report("ZN024", src, dnode, what=f"default '{default}' of {what} is not one of its values "
                                                  f"({', '.join(members)}){did_you_mean(default, members)}")
            return stat
        return stat._replace(default=members.index(default))

    # -- scene files ---------------------------------------------------------------------
    def scene(self, src: Source, sid: str, node: Node, chapter_title: str) -> Scene | None:
        f = self.fields(src, node, "scene", f"scene '{sid}'")
        if f is None:
            return None
        title = self.string(src, f.get("title"), "title") or sid
        chapter = self.string(src, f["chapter"], "chapter") if "chapter" in f else None
        passages = self.narration(src, f.get("text"))
        on_enter = self.effects(src, f.get("on_enter"))
        choices: list[Choice] = []
        cnode = f.get("choices")
        if cnode is not None:
            if not isinstance(cnode.value, list):
                self.report("ZN010", src, cnode, what="choices", expected="a list", got=describe(cnode))
            else:
                for item in cnode.value:
                    choice = self.choice(src, item)
                    if choice is not None:
                        choices.append(self.kinds(src, item, sid, len(choices), choice))
                if choices and all(c.fallback for c in choices):
                    self.report("ZN024", src, cnode, what=f"scene '{sid}' has only a fallback choice: a scene that "
                                                         "goes on by itself says so with 'next'")
        if "next" in f:
            auto = self.automatic(src, sid, f, bool(choices))
            choices = [auto] if auto is not None else choices
        ending = None
        enode = f.get("ending")
        if enode is not None:
            if isinstance(enode.value, dict):
                ef = self.fields(src, enode, "ending", f"the ending of '{sid}'") or {}
                eid = self.ident(src, ef["id"], "ending id") if "id" in ef else sid
                etitle = self.string(src, ef.get("title"), "ending title")
            else:
                eid, etitle = sid, self.string(src, enode, "ending (its title)")
            if eid is not None and etitle is not None:
                ending = Ending(eid, etitle, src.pos(enode))
            if cnode is not None and isinstance(cnode.value, list) and cnode.value:
                self.report("ZN024", src, cnode, what=f"scene '{sid}' is an ending and cannot have choices")
        return Scene(sid, title, chapter or chapter_title, src.name, passages, on_enter, tuple(choices), ending,
                     src.pos(node))

    def narration(self, src: Source, node: Node | None) -> tuple[Passage, ...]:
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        out = []
        for item in items:
            if isinstance(item.value, dict):
                f = self.fields(src, item, "passage", "a part of the narration")
                if f is None:
                    continue
                text = self.text(src, f.get("text"), "text")
                cond = self.condition(src, f.get("if"))
                otherwise = self.text(src, f["else"], "else") if "else" in f else None
                if "else" in f and "if" not in f:
                    self.report("ZN014", src, item, where="a part with 'else'", key="if")
                if text is not None:
                    out.append(Passage(text, cond, otherwise))
            else:
                text = self.text(src, item, "narration")
                if text is not None:
                    out.append(Passage(text, None, None))
        return tuple(out)

    def choice(self, src: Source, node: Node) -> Choice | None:
        f = self.fields(src, node, "choice", "a choice")
        if f is None:
            return None
        text = self.text(src, f.get("text"), "choice text")
        cond = self.condition(src, f.get("if"))
        reason = self.text(src, f["reason"], "reason") if "reason" in f else None
        hidden = bool(self.boolean(src, f["hidden"], "hidden")) if "hidden" in f else False
        effects = self.effects(src, f.get("do"))
        way = self.way(src, node, f)
        if text is None:
            return None
        goto, branches, outcomes, call, returns = way
        return Choice(text, cond, reason, hidden, effects, goto, outcomes, src.pos(node), branches, call=call,
                      returns=returns)

    def way(self, src: Source, node: Node, f: dict[str, Node]
            ) -> tuple[str | None, tuple[Branch, ...], tuple[Outcome, ...], Call | None, bool]:
        """Where a choice or a `next` leads: (goto, ways, random outcomes, call, returns), one of them given.
        With `call`, a `goto` is where the story goes on once the called scene returns."""
        returns = "return" in f
        if returns and self.boolean(src, f["return"], "return") is False:
            self.report("ZN024", src, f["return"], what="write 'return: true', or leave 'return' out")
        cnode, gnode, rnode = f.get("call"), f.get("goto"), f.get("random")
        if (gnode is not None and cnode is None) + (rnode is not None) + (cnode is not None) + returns != 1:
            self.report("ZN025", src, node)
        goto: str | None = None
        branches: tuple[Branch, ...] = ()
        call = None
        if cnode is not None:
            call = self.call(src, cnode, gnode)
        elif gnode is not None:
            goto, branches = self.destination(src, gnode)
        return goto, branches, self.outcomes(src, rnode) if rnode is not None else (), call, returns

    def call(self, src: Source, node: Node, after: Node | None) -> Call | None:
        sid = self.ident(src, node, "call (a scene id)")
        if sid is not None:
            self.pending_calls.append((sid, src.pos(node)))
        back = None
        if after is not None and isinstance(after.value, list):
            self.report("ZN010", src, after, what="the goto after a call", expected="one scene id",
                        got="a list of ways")
        elif after is not None:
            back = self.target(src, after)
        return None if sid is None else Call(sid, back, src.pos(node))

    def outcomes(self, src: Source, rnode: Node) -> tuple[Outcome, ...]:
        """A `random` list: each outcome `{weight, do, goto}`."""
        outcomes: list[Outcome] = []
        if not isinstance(rnode.value, list) or not rnode.value:
            self.report("ZN010", src, rnode, what="random", expected="a list of outcomes", got=describe(rnode))
            return ()
        for onode in rnode.value:
            of = self.fields(src, onode, "outcome", "a random outcome")
            if of is None:
                continue
            weight = self.integer(src, of["weight"], "weight") if "weight" in of else 1
            if weight is not None and weight < 1:
                self.report("ZN024", src, of["weight"], what="a weight must be 1 or more")
                weight = None
            target = self.target(src, of.get("goto"))
            oeffects = self.effects(src, of.get("do"))
            if weight is not None and target is not None:
                outcomes.append(Outcome(weight, oeffects, target, src.pos(onode)))
        return tuple(outcomes)

    def kinds(self, src: Source, node: Node, sid: str, index: int, choice: Choice) -> Choice:
        """`once` and `fallback`: a once-only choice remembers that it was taken in a value of its own,
        `once.SCENE_N` (N counted from 0, kept in saves; reports say `choice N+1 of scene 'SCENE'`), set by
        an effect that runs before the choice's own."""
        assert isinstance(node.value, dict)
        fallback = bool(self.boolean(src, node.value["fallback"], "fallback")) if "fallback" in node.value else False
        once = bool(self.boolean(src, node.value["once"], "once")) if "once" in node.value else False
        if not once:
            return choice._replace(fallback=fallback)
        name = f"{sid}_{index}"
        key = f"once.{name}"
        self.header.stats[key] = Stat(key, name, "once", "bool", False, 0, 1, "taken", src.pos(node),
                                      f"choice {index + 1} of scene '{sid}' taken")
        mark = compile_effect(f"{key} = true", Symbols(MappingProxyType({key: "bool"}), MappingProxyType({}),
                                                       frozenset({"once"})))
        return choice._replace(effects=(mark, *choice.effects), once=key, fallback=fallback)

    def destination(self, src: Source, node: Node) -> tuple[str | None, tuple[Branch, ...]]:
        """A `goto` or `next`: one scene, or ways tried in order, `{if, goto}`, the last without `if`."""
        if not isinstance(node.value, list):
            return self.target(src, node), ()
        branches: list[Branch] = []
        for i, item in enumerate(node.value):
            f = self.fields(src, item, "branch", "a way of a conditional goto")
            if f is None:
                continue
            last = i == len(node.value) - 1
            if last == ("if" in f):
                self.report("ZN024", src, item, what="a conditional goto tries its ways in order: each has 'if' "
                                                     "but the last, which is taken when none holds")
            target = self.target(src, f.get("goto"))
            if target is not None:
                branches.append(Branch(self.condition(src, f.get("if")), target, src.pos(item)))
        if not node.value:
            self.report("ZN010", src, node, what="goto", expected="a scene id or a list of ways", got="an empty list")
        return None, tuple(branches)

    def automatic(self, src: Source, sid: str, f: dict[str, Node], has_choices: bool) -> Choice | None:
        """A scene's `next`, as the one choice it has: taken without a click. `next: return` goes back
        from a called scene; a mapping says where as a choice does (`random`, `call` with `goto`, `return`)."""
        node = f["next"]
        if has_choices or "ending" in f:
            self.report("ZN024", src, node, what=f"scene '{sid}' goes on by itself ('next'), so it has no choices "
                                                 "and is not an ending")
            return None
        goto: str | None = None
        branches: tuple[Branch, ...] = ()
        outcomes: tuple[Outcome, ...] = ()
        call, returns = None, False
        if node.value == "return":
            returns = True
        elif isinstance(node.value, dict):
            nf = self.fields(src, node, "next", f"the next of '{sid}'")
            if nf is None:
                return None
            goto, branches, outcomes, call, returns = self.way(src, node, nf)
            if "call" in nf and "goto" not in nf:
                self.report("ZN014", src, node, where="a 'next' that calls a scene (where the story goes on after "
                                                      "the call returns)", key="goto")
                return None
        else:
            goto, branches = self.destination(src, node)
        if goto is None and not branches and not outcomes and call is None and not returns:
            return None
        return Choice(Text((Lit("Continue"),), src.pos(node), "Continue"), None, None, False, (), goto, outcomes,
                      src.pos(node), branches, auto=True, call=call, returns=returns)

    # -- all together --------------------------------------------------------------------------
    def start(self) -> None:
        """Compile story.yaml: the header, and the symbols every expression may use."""
        self.header = self.story_header()
        stats = self.header.stats
        self.symbols = symbols_of(stats, self.header.characters)
        for key, (src, node) in self.pending_shown.items():
            if key in stats:
                stats[key] = stats[key]._replace(shown_when=self.condition(src, node))

    def add(self, src: Source) -> None:
        """Compile one scene file; its nodes are no longer needed afterwards."""
        self.names.append(src.name)
        root = src.root
        if not src.readable:
            self.unread.append(src.name)
            return
        if root is None or root.value is None:
            return
        if not isinstance(root.value, dict):
            self.report("ZN010", src, root, what="a scene file", expected="a mapping of scene id to scene",
                        got=describe(root))
            return
        chapters = self.header.chapters
        stem = _stem(src.name)
        chapter_title = chapters.get(stem) or stem.replace("_", " ").strip().capitalize()
        for sid, snode in root.value.items():
            key_node = root.keys[sid]
            if not ID.match(sid):
                self.report("ZN023", src, key_node, name=sid, what="scene id")
                continue
            if sid == "return":
                self.report("ZN024", src, key_node, what="'return' cannot be a scene id: 'next: return' goes back "
                                                         "from a called scene")
                continue
            if sid in self.scene_ids:
                self.report("ZN013", src, key_node, name=sid, first=self.scene_ids[sid])
                continue
            self.scene_ids[sid] = src.pos(key_node)
            scene = self.scene(src, sid, snode, chapter_title)
            if scene is not None:
                self.scenes[sid] = scene
                if scene.chapter not in self.chapter_order:
                    self.chapter_order.append(scene.chapter)

    def finish(self, content_hash: str) -> Story:
        """The checks that need every scene id, then the story built from what could be read."""
        self.check_references()
        if not self.scene_ids and not self.unread and self.story_source.readable:
            self.diags.append(make("ZN038", Position(self.story_source.name)))
        declared = list(self.header.chapters.values())
        self.chapter_order.sort(key=lambda t: declared.index(t) if t in declared else len(declared))
        return self.story(content_hash)

    def check_references(self) -> None:
        """Every goto, `visits.x` and the start name a scene; one that might be in a file that
        could not be read says so, since its scene ids cannot be known."""
        ids = self.scene_ids
        for sid, pos in self.pending_targets:
            if sid not in ids:
                self.diags.append(self.unknown_scene(sid, pos) or make("ZN012", pos, name=sid,
                                                                        hint=did_you_mean(sid, ids)))
        for sid, pos in self.pending_calls:
            if sid not in ids:
                self.diags.append(self.unknown_scene(sid, pos) or make("ZN050", pos, name=sid,
                                                                        hint=did_you_mean(sid, ids)))
        for sid, pos in self.pending_visits:
            if sid not in ids:
                self.diags.append(self.unknown_scene(sid, pos) or make("ZN016", pos, name=f"visits.{sid}",
                                                                        hint=did_you_mean(sid, ids)))
        start, start_node = self.header.start, self.header.start_node
        if start is not None and start not in ids and start_node is not None:
            pos = self.story_source.pos(start_node)
            self.diags.append(self.unknown_scene(start, pos) or make("ZN018", pos, name=start,
                                                                      hint=did_you_mean(start, ids)))

    def unknown_scene(self, sid: str, pos: Position) -> Diagnostic | None:
        """ZN036 when some scene file could not be read (None when all were)."""
        if not self.unread:
            return None
        named = [name for name in self.unread if _stem(name) == sid]
        if named:
            return make("ZN036", pos, name=sid, hint="", files=_base(named[0]))
        shown = [_base(name) for name in self.unread]
        files = shown[0] if len(shown) == 1 else (
            f"{', '.join(shown[:-1])} and {shown[-1]}" if len(shown) <= 3
            else f"{', '.join(shown[:2])} and {len(shown) - 2} other files")
        return make("ZN036", pos, name=sid, hint=did_you_mean(sid, self.scene_ids), files=files)

    def story(self, content_hash: str) -> Story:
        """The story, complete when no error was found; otherwise what could be built of it.

        In a partial story a missing header value is empty text, and a choice or
        outcome whose scene is missing is left out, so that every goto of every
        story names one of its scenes (its start may still be missing).
        """
        header = self.header
        scenes = _without_gaps(self.scenes) if any(d.is_error for d in self.diags) else self.scenes
        endings: dict[str, Ending] = {}
        for scene in scenes.values():
            if scene.ending is not None:
                if scene.ending.id in endings:
                    self.diags.append(make("ZN026", scene.ending.pos, name=scene.ending.id,
                                           first=endings[scene.ending.id].pos))
                else:
                    endings[scene.ending.id] = scene.ending
        return Story(
            id=header.id, title=header.title, version=header.version, about=header.about,
            start=header.start or "",
            characters=MappingProxyType(header.characters), stats=MappingProxyType(header.stats),
            scenes=MappingProxyType(scenes), endings=MappingProxyType(endings),
            chapters=tuple(self.chapter_order), files=tuple(self.names), content_hash=content_hash,
            max_call_depth=header.max_call_depth,
        )


def _stem(name: str) -> str:
    return _base(name).rsplit(".", 1)[0]


def _base(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _without_gaps(scenes: dict[str, Scene]) -> dict[str, Scene]:
    """The scenes with every choice and outcome that leads to no scene left out."""
    out: dict[str, Scene] = {}
    for sid, scene in scenes.items():
        choices = []
        for choice in scene.choices:
            outcomes = tuple(o for o in choice.outcomes if o.goto in scenes)
            call = choice.call
            if call is not None and call.after is not None and call.after not in scenes:
                call = call._replace(after=None)
            if (choice.goto in scenes or (choice.goto is None and outcomes) or choice.returns
                    or (call is not None and call.scene in scenes)):
                choices.append(choice._replace(outcomes=outcomes, call=call))
        out[sid] = scene._replace(choices=tuple(choices))
    return out


def compile_story(story_source: Source, scene_sources: Iterable[Source], content_hash: str = "",
                  references: list[tuple[str, Position]] | None = None) -> tuple[Story, list[Diagnostic]]:
    """Compile parsed sources into a story and every problem found.

    The story is complete and sound only when no diagnostic is an error; with
    errors it holds what could be built (see `_Compiler.story`), for tools that
    show a pack as it is being written. Nothing may play it.

    `scene_sources` may be a generator that parses each file on demand: each
    file's nodes are dropped once its scenes are compiled.

    `references`, when given, receives every place a scene is named, for editors:
    the start, each goto, next and outcome (where the id is written), and each
    condition, effect or text that reads `visits.ID` (where it begins).
    """
    compiler = _Compiler(story_source)
    compiler.start()
    for source in scene_sources:
        compiler.add(source)
        source.root, source.text = None, ""
    story = compiler.finish(content_hash)
    if references is not None:
        start, start_node = compiler.header.start, compiler.header.start_node
        if start is not None and start_node is not None:
            references.append((start, story_source.pos(start_node)))
        references.extend(compiler.pending_targets)
        references.extend(compiler.pending_calls)
        references.extend(compiler.pending_visits)
    return story, compiler.diags
