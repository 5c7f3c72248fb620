"""Source nodes become a frozen `Story`, every problem collected as a diagnostic.

The compiler never stops at the first problem: it reports all it can find,
then `validate` adds the checks that need the whole graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from zone._reading import ID, NodeReader, describe
from zone.diagnostics import Diagnostic, Position, did_you_mean, make
from zone.expr import Symbols
from zone.model import Character, Choice, Ending, Outcome, Passage, Scene, Stat, Story
from zone.source import Node, Source

__all__ = ["compile_story"]


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
        self.header: dict[str, object] = {}

    # -- the story file ----------------------------------------------------------------
    def story_header(self) -> dict[str, object]:
        src = self.story_source
        root = src.root
        header: dict[str, object] = {}
        stats: dict[str, Stat] = {}
        characters: dict[str, Character] = {}
        chapters: dict[str, str] = {}
        header["stats"], header["characters"], header["chapters"] = stats, characters, chapters
        self.names_known = False  # until story.yaml is known to be a mapping that may declare them
        if root is None:
            if src.readable:
                self.diags.append(make("ZN037", Position(src.name, 1, 1)))
            return header
        top = self.fields(src, root, "story", "story.yaml")
        if top is None:
            return header
        self.names_known = True
        header["id"] = self.ident(src, top.get("id"), "pack id")
        header["title"] = self.string(src, top.get("title"), "title")
        version = top.get("version")
        if version is not None and isinstance(version.value, (int, float)) and not isinstance(version.value, bool):
            self.report("ZN010", src, version, what="version", expected="text (write version: \"1.0\")",
                        got="a number")
        else:
            header["version"] = self.string(src, version, "version")
        header["start"] = self.ident(src, top.get("start"), "start scene")
        header["start_node"] = top.get("start")
        header["about"] = self.string(src, top.get("about"), "about") if "about" in top else ""
        if "author" in top:
            self.string(src, top["author"], "author")

        def declare(stat: Stat, node: Node) -> None:
            if stat.key in stats:
                self.report("ZN028", src, node, name=stat.key, first=stats[stat.key].pos)
            else:
                stats[stat.key] = stat

        chars = top.get("characters")
        if chars is not None:
            if not isinstance(chars.value, dict):
                self.report("ZN010", src, chars, what="characters", expected="a mapping", got=describe(chars))
            else:
                for cid, cnode in chars.value.items():
                    key_node = chars.keys[cid]
                    if not ID.match(cid) or cid in ("flags", "visits", "items", "turn"):
                        self.report("ZN023", src, key_node, name=cid, what="character id")
                        continue
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
                            if stat is not None:
                                declare(stat, snode.keys[sname])
                                keys.append(stat.key)
                    characters[cid] = Character(
                        cid, self.string(src, cfields.get("name"), "name") or cid,
                        self.string(src, cfields.get("about"), "about") or "",
                        tuple(keys), src.pos(key_node))
        flags = top.get("flags")
        if flags is not None:
            if not isinstance(flags.value, dict):
                self.report("ZN010", src, flags, what="flags", expected="a mapping", got=describe(flags))
            else:
                for fname, fnode in flags.value.items():
                    key_node = flags.keys[fname]
                    if not ID.match(fname):
                        self.report("ZN023", src, key_node, name=fname, what="flag name")
                        continue
                    if isinstance(fnode.value, dict):
                        ff = self.fields(src, fnode, "flag", f"flag '{fname}'") or {}
                        about = self.string(src, ff.get("about"), "about") or ""
                    else:
                        about = self.string(src, fnode, f"flag '{fname}' (its one-line description)") or ""
                    declare(Stat(f"flags.{fname}", fname, "flags", "bool", False, 0, 1, about, src.pos(key_node)),
                            key_node)
        items = top.get("items")
        if items is not None:
            if not isinstance(items.value, dict):
                self.report("ZN010", src, items, what="items", expected="a mapping", got=describe(items))
            else:
                for iname, inode in items.value.items():
                    key_node = items.keys[iname]
                    if not ID.match(iname) or iname in characters or iname in ("flags", "visits", "turn", "true",
                                                                                "false"):
                        self.report("ZN023", src, key_node, name=iname, what="item name")
                        continue
                    stat = self.stat(src, key_node, iname, inode, "items", item=True)
                    if stat is not None:
                        declare(stat, key_node)
        chaps = top.get("chapters")
        if chaps is not None:
            if not isinstance(chaps.value, dict):
                self.report("ZN010", src, chaps, what="chapters", expected="a mapping of file name to title",
                            got=describe(chaps))
            else:
                for stem, tnode in chaps.value.items():
                    title = self.string(src, tnode, f"chapter title for '{stem}'")
                    if title is not None:
                        chapters[stem] = title
        return header

    def stat(self, src: Source, key_node: Node, name: str, node: Node, owner: str, *, item: bool = False
             ) -> Stat | None:
        what = f"item '{name}'" if item else f"stat '{owner}.{name}'"
        if not ID.match(name):
            self.report("ZN023", src, key_node, name=name, what="stat name")
            return None
        f = self.fields(src, node, "item" if item else "stat", what)
        if f is None:
            return None
        about = self.string(src, f.get("about"), "about") or ""
        dnode = f.get("default")
        type_node = f.get("type")
        stype = "int"
        if type_node is not None:
            t = self.string(src, type_node, "type")
            if t not in ("int", "bool"):
                if t is not None:
                    self.report("ZN010", src, type_node, what="type", expected="int or bool", got=f"'{t}'")
                return None
            stype = t
        elif dnode is not None and isinstance(dnode.value, bool):
            stype = "bool"
        key = name if item else f"{owner}.{name}"
        pos = src.pos(key_node)
        label = (self.string(src, f.get("name"), "name") or "") if item else ""
        if stype == "bool":
            if "range" in f:
                self.report("ZN024", src, f["range"], what=f"{what} is true/false and takes no range")
            default = self.boolean(src, dnode, "default") if dnode is not None else False
            if default is None:
                return None
            return Stat(key, name, owner, "bool", default, 0, 1, about, pos, label)
        rnode = f.get("range")
        if rnode is None:
            self.report("ZN014", src, node, where=what, key="range")
            return None
        if not isinstance(rnode.value, list) or len(rnode.value) != 2:
            self.report("ZN010", src, rnode, what="range", expected="[lowest, highest]", got=describe(rnode))
            return None
        lo = self.integer(src, rnode.value[0], "range")
        hi = self.integer(src, rnode.value[1], "range")
        dflt = self.integer(src, dnode, "default")
        if lo is None or hi is None or dflt is None:
            return None
        if lo > hi:
            self.report("ZN024", src, rnode, what=f"range of {what}: {lo} is above {hi}")
            return None
        if not lo <= dflt <= hi:
            self.report("ZN024", src, dnode, what=f"default {dflt} of {what} is outside its range [{lo}, {hi}]")
            return None
        return Stat(key, name, owner, "int", dflt, lo, hi, about, pos, label)

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
                        choices.append(choice)
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
        goto = self.target(src, f["goto"]) if "goto" in f else None
        outcomes: list[Outcome] = []
        rnode = f.get("random")
        if ("goto" in f) == (rnode is not None):
            self.report("ZN025", src, node)
        if rnode is not None:
            if not isinstance(rnode.value, list) or not rnode.value:
                self.report("ZN010", src, rnode, what="random", expected="a list of outcomes", got=describe(rnode))
            else:
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
        if text is None:
            return None
        return Choice(text, cond, reason, hidden, effects, goto, tuple(outcomes), src.pos(node))

    # -- all together --------------------------------------------------------------------------
    def start(self) -> None:
        """Compile story.yaml: the header, and the symbols every expression may use."""
        self.header = header = self.story_header()
        stats: dict[str, Stat] = header["stats"]  # type: ignore[assignment]
        characters: dict[str, Character] = header["characters"]  # type: ignore[assignment]
        self.symbols = Symbols(
            variables=MappingProxyType({k: s.type for k, s in stats.items()}),
            ranges=MappingProxyType({k: (s.lo, s.hi) for k, s in stats.items() if s.type == "int"}),
            entities=frozenset(characters) | {"flags"},
        )

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
        chapters: dict[str, str] = self.header["chapters"]  # type: ignore[assignment]
        stem = _stem(src.name)
        chapter_title = chapters.get(stem) or stem.replace("_", " ").strip().capitalize()
        for sid, snode in root.value.items():
            key_node = root.keys[sid]
            if not ID.match(sid):
                self.report("ZN023", src, key_node, name=sid, what="scene id")
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
        chapters: dict[str, str] = self.header["chapters"]  # type: ignore[assignment]
        declared = list(chapters.values())
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
        for sid, pos in self.pending_visits:
            if sid not in ids:
                self.diags.append(self.unknown_scene(sid, pos) or make("ZN016", pos, name=f"visits.{sid}",
                                                                        hint=did_you_mean(sid, ids)))
        start, start_node = self.header.get("start"), self.header.get("start_node")
        if isinstance(start, str) and start not in ids and isinstance(start_node, Node):
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
            id=str(header.get("id") or ""), title=str(header.get("title") or ""),
            version=str(header.get("version") or ""), about=str(header.get("about") or ""),
            start=str(header.get("start") or ""),
            characters=MappingProxyType(header["characters"]),  # type: ignore[arg-type]
            stats=MappingProxyType(header["stats"]),  # type: ignore[arg-type]
            scenes=MappingProxyType(scenes), endings=MappingProxyType(endings),
            chapters=tuple(self.chapter_order), files=tuple(self.names), content_hash=content_hash,
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
            if choice.goto in scenes or (choice.goto is None and outcomes):
                choices.append(choice._replace(outcomes=outcomes))
        out[sid] = scene._replace(choices=tuple(choices))
    return out


def compile_story(story_source: Source, scene_sources: Iterable[Source], content_hash: str = ""
                  ) -> tuple[Story, list[Diagnostic]]:
    """Compile parsed sources into a story and every problem found.

    The story is complete and sound only when no diagnostic is an error; with
    errors it holds what could be built (see `_Compiler.story`), for tools that
    show a pack as it is being written. Nothing may play it.

    `scene_sources` may be a generator that parses each file on demand: each
    file's nodes are dropped once its scenes are compiled.
    """
    compiler = _Compiler(story_source)
    compiler.start()
    for source in scene_sources:
        compiler.add(source)
        source.root = None
    story = compiler.finish(content_hash)
    return story, compiler.diags
