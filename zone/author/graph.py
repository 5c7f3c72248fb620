"""`zone graph`: the story map as Graphviz DOT or Mermaid text.

Scenes are nodes grouped by chapter; choices are edges. How each kind of edge
is drawn, and what the legend says of it, is written once, in `EDGE_KINDS`;
`kind_of` says which kind a choice is. What `zone prove` knows is marked on top:
a choice that can never be enabled, a scene where the player can be stuck
(`Marks`, from the same bounded proof `zone check` runs). A `View` narrows a
large map to a chapter or to the scenes near one scene; the scenes just
outside it are drawn faintly, so that every edge still has both ends.
SVG and PNG are DOT handed to Graphviz's `dot` program.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from zone.calls import return_targets
from zone.errors import ZoneError
from zone.model import Choice, Story

__all__ = ["EDGE_KINDS", "GRAPHVIZ_HINT", "LARGE", "Edge", "EdgeKind", "Marks", "View", "edges", "kind_of", "marks",
           "render", "to_dot", "to_mermaid", "view_of"]

LABEL_WIDTH = 28  # a label is wrapped at this width ...
LABEL_LINES = 3  # ... to at most this many lines; the tooltip always has the whole text
LARGE = 300  # a map with more scenes than this is hard to read and slow to draw: say so, and how to focus
GRAPHVIZ_HINT = ("svg and png need Graphviz's 'dot' program, which is not installed: install Graphviz "
                 "(apt install graphviz, brew install graphviz, or https://graphviz.org/download/), "
                 "or use --format dot or --format mermaid")


@dataclass(frozen=True, slots=True)
class EdgeKind:
    legend: str  # what the legend says of this kind of edge
    dot: str  # Graphviz attributes
    arrow: str  # Mermaid arrow


# Every kind of edge the map draws, in the legend's order. A new way of moving between scenes gets a row
# here and a line in `kind_of`.
EDGE_KINDS: Mapping[str, EdgeKind] = MappingProxyType({
    "choice": EdgeKind("a choice", "", "-->"),
    "condition": EdgeKind("a choice with a condition [if ...]", "style=dashed", "-.->"),
    "branch": EdgeKind("one way of a choice that goes where a condition says", "style=dashed, arrowhead=onormal",
                       "-.->"),
    "random": EdgeKind("an outcome of a random choice (odds)", "style=dotted", "-.->"),
    "fallback": EdgeKind("fallback: taken by itself when no other choice can be", "style=dashed, color=gray40",
                         "-.->"),
    "next": EdgeKind("next: the scene goes on by itself", "penwidth=2.5, color=navy, arrowhead=vee", "==>"),
    "call": EdgeKind("call: the scene is entered, and comes back", "penwidth=2, color=darkgreen, arrowhead=diamond",
                     "==>"),
    "after": EdgeKind("where the story goes on once a call comes back", "style=dashed, color=darkgreen", "-.->"),
    "return": EdgeKind("return: back from a call", "style=dotted, color=darkgreen, arrowhead=onormal", "-.->"),
})
DEAD = "color=red3, fontcolor=red3, penwidth=1.5"  # added to a choice that can never be enabled
HIDDEN = "color=gray60, fontcolor=gray40"  # added to a hidden choice


def kind_of(choice: Choice) -> str:
    """Which row of EDGE_KINDS draws this choice (a call's second edge, to where it goes on, is "after")."""
    if choice.call is not None:
        return "call"
    if choice.returns:
        return "return"
    if choice.auto:
        return "next"
    if choice.outcomes:
        return "random"
    if choice.branches:
        return "branch"
    if choice.fallback:
        return "fallback"
    if choice.condition is not None:
        return "condition"
    return "choice"


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    text: str
    condition: str | None
    odds: str | None  # "3/4" for a random outcome; a branch's condition, or "otherwise"
    hidden: bool
    kind: str = "choice"  # a key of EDGE_KINDS
    index: int = 0  # the choice's place in its scene


@dataclass(frozen=True, slots=True)
class Marks:
    """What a proof found that the map shows: choices never enabled, scenes that can soft-lock."""

    dead: frozenset[tuple[str, int]] = frozenset()  # (scene, choice index)
    soft_locks: frozenset[str] = frozenset()


def marks(story: Story) -> Marks:
    """The marks of `zone check`'s bounded proof (none for a pack too large for it to explore)."""
    from zone.author.lint import CHECK_SEARCH, CHECK_STATES, explores
    from zone.author.prove import prove

    if not explores(story):
        return Marks()
    proof = prove(story, CHECK_STATES, CHECK_SEARCH, thorough=False)
    return Marks(frozenset(proof.never_enabled), frozenset(f.scene for f in proof.soft_locks))


@dataclass(frozen=True, slots=True)
class View:
    """The scenes drawn in full, and the scenes just outside them that their edges lead to or come from."""

    scenes: tuple[str, ...]
    outside: tuple[str, ...] = ()
    about: str = ""  # what the view shows, for the map's title ("chapter The road")


def _choice_edges(source: str, index: int, choice: Choice, returns: tuple[str, ...]) -> Iterator[Edge]:
    text = choice.text.source
    condition = choice.condition.source if choice.condition is not None else None
    kind = kind_of(choice)
    if choice.call is not None:
        yield Edge(source, choice.call.scene, text, condition, None, choice.hidden, kind, index)
        yield Edge(source, choice.call.after or source, text, condition, None, choice.hidden, "after", index)
        return
    if choice.returns:
        for target in returns:
            yield Edge(source, target, text, condition, None, choice.hidden, kind, index)
        return
    if choice.goto is not None:
        yield Edge(source, choice.goto, text, condition, None, choice.hidden, kind, index)
        return
    for branch in choice.branches:
        way = f"if {branch.condition.source}" if branch.condition is not None else "otherwise"
        yield Edge(source, branch.goto, text, condition, way, choice.hidden, kind, index)
    total = sum(o.weight for o in choice.outcomes)
    for outcome in choice.outcomes:
        yield Edge(source, outcome.goto, text, condition, f"{outcome.weight}/{total}", choice.hidden, kind, index)


def edges(story: Story) -> list[Edge]:
    returns = return_targets(story)
    return [e for scene in story.scenes.values() for n, choice in enumerate(scene.choices)
            for e in _choice_edges(scene.id, n, choice, returns.get(scene.id, ()))]


def view_of(story: Story, *, start: str | None = None, depth: int | None = None,
            chapter: str | None = None) -> View:
    """The scenes of `chapter` (a chapter title), those within `depth` choices of `start`, or both."""
    shown = [sid for sid, s in story.scenes.items() if chapter is None or s.chapter == chapter]
    about = [] if chapter is None else [f"chapter {chapter}"]
    if start is not None:
        near = _near(story, start, depth)
        shown = [sid for sid in shown if sid in near]
        about.append(f"{depth} choice{'s' * (depth != 1)} from {start}" if depth is not None else f"from {start}")
    inside = set(shown)
    outside: dict[str, None] = {}
    for edge in edges(story):
        if (edge.source in inside) != (edge.target in inside):
            outside[edge.target if edge.source in inside else edge.source] = None
    return View(tuple(shown), tuple(outside), ", ".join(about))


def _near(story: Story, start: str, depth: int | None) -> dict[str, int]:
    """Scenes within `depth` choices of `start` (all it leads to when None), with their distance."""
    ahead: dict[str, list[str]] = {}
    for edge in edges(story):
        ahead.setdefault(edge.source, []).append(edge.target)
    seen = {start: 0}
    layer = [start]
    while layer and (depth is None or seen[layer[0]] < depth):
        following = []
        for sid in layer:
            for target in ahead.get(sid, ()):
                if target not in seen:
                    seen[target] = seen[sid] + 1
                    following.append(target)
        layer = following
    return seen


def _whole(story: Story) -> View:
    return View(tuple(story.scenes))


def _wrapped(text: str) -> str:
    """A label as lines of LABEL_WIDTH, at most LABEL_LINES of them; cut with '…' past that."""
    lines = textwrap.wrap(" ".join(text.split()), LABEL_WIDTH, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][:LABEL_WIDTH - 1].rstrip() + "…"
    return "\n".join(lines)


def _full_label(edge: Edge, dead: bool) -> str:
    """Everything an edge says, on one line: its tooltip."""
    label = " ".join(edge.text.split())
    if edge.odds is not None:
        label += f" ({edge.odds})"
    if edge.condition is not None:
        label += f" [if {' '.join(edge.condition.split())}]"
    if dead:
        label += " (never enabled)"
    return label


def _edge_label(edge: Edge) -> str:
    """A choice's text, its odds or way, and its condition, each wrapped, one under the other."""
    label = _wrapped(edge.text)
    if edge.odds is not None:
        label += f" ({_wrapped(edge.odds)})"
    if edge.condition is not None:
        label += f"\n[if {_wrapped(edge.condition)}]"
    return label


def _chapters(story: Story, names: tuple[str, ...]) -> dict[str, list[str]]:
    """The scenes of `names` by chapter, in the story's order of chapters."""
    out: dict[str, list[str]] = {chapter: [] for chapter in story.chapters}
    for sid in names:
        out.setdefault(story.scenes[sid].chapter, []).append(sid)
    return {chapter: sids for chapter, sids in out.items() if sids}


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _node(story: Story, sid: str, found: Marks) -> str:
    scene = story.scenes[sid]
    label = _wrapped(scene.title) + "\n" + sid
    attrs = []
    tooltip = f"{scene.title} ({sid}, {scene.pos})"
    if scene.ending is not None:
        label = "END: " + _wrapped(scene.ending.title) + "\n" + sid
        attrs.append('shape=box, style="rounded,filled", fillcolor=gray90')
    elif sid in found.soft_locks:
        label = "SOFT LOCK\n" + label
        attrs.append("style=filled, fillcolor=mistyrose, color=red3")
        tooltip += ": the player can be stuck here with every choice disabled"
    if sid == story.start:
        attrs.append("penwidth=3")
    return ", ".join([f"label={_dot_quote(label)}", *attrs, f"tooltip={_dot_quote(tooltip)}"])


def _edge_attrs(edge: Edge, found: Marks) -> str:
    dead = (edge.source, edge.index) in found.dead
    full = _dot_quote(_full_label(edge, dead))
    label = _dot_quote(_edge_label(edge)) if edge.kind != "next" else '""'
    attrs = [f"label={label}", EDGE_KINDS[edge.kind].dot, DEAD if dead else HIDDEN if edge.hidden else "",
             f"tooltip={full}, labeltooltip={full}"]
    return ", ".join(a for a in attrs if a)


def _legend(used: set[str], found: Marks, view: View, start: str) -> list[str]:
    """A cluster that shows each kind of node and edge the map draws, with what it means."""
    lines = ["  subgraph cluster_legend {",
             '    label="Legend"; style=solid; color=gray50; fontsize=12;',
             '    node [fontsize=9, tooltip="legend"]; edge [fontsize=9, tooltip="legend"];',
             '    legend_scene [label="scene\\nid"];',
]
    if "ending" in used:
        lines.append('    legend_end [label="END: ending", shape=box, style="rounded,filled", fillcolor=gray90];')
    if start in view.scenes:
        lines.append('    legend_start [label="start", penwidth=3];')
    if any(sid in found.soft_locks for sid in view.scenes):
        lines.append('    legend_lock [label="SOFT LOCK: can be stuck", style=filled, fillcolor=mistyrose, '
                     'color=red3];')
    if view.outside:
        lines.append('    legend_outside [label="outside this view", style=dashed, color=gray60, fontcolor=gray40];')
    rows = [(k, EDGE_KINDS[k].legend, EDGE_KINDS[k].dot) for k in EDGE_KINDS if k in used]
    if "hidden" in used:
        rows.append(("hidden", "a hidden choice", HIDDEN))
    if "dead" in used:
        rows.append(("dead", "a choice never enabled (zone prove)", DEAD))
    previous = "legend_scene"
    for name, text, attrs in rows:  # each row a short level arrow with its meaning; the rows one under another
        a, b = f"legend_{name}_a", f"legend_{name}_b"
        lines.append(f"    {a} [shape=point, width=0.05]; {b} [shape=point, width=0.05]; {{rank=same; {a}; {b}}}")
        extra = f", {attrs}" if attrs else ""
        lines.append(f"    {a} -> {b} [label={_dot_quote(text)}, minlen=3{extra}];")
        lines.append(f"    {previous} -> {a} [style=invis];")
        previous = a
    lines.append("  }")
    return lines


def to_dot(story: Story, view: View | None = None, found: Marks | None = None, *, legend: bool = True) -> str:
    """The map as DOT: every scene of `view` (the whole story by default), with `found` marked."""
    view = view or _whole(story)
    found = found or Marks()
    title = story.title + (f" ({view.about})" if view.about else "")
    lines = [f"digraph {_dot_quote(story.id)} {{",
             f"  graph [label={_dot_quote(title)}, labelloc=t, fontname=Helvetica, rankdir=TB];",
             "  node [shape=box, fontname=Helvetica, fontsize=11];",
             "  edge [fontname=Helvetica, fontsize=9];"]
    for n, (chapter, sids) in enumerate(_chapters(story, view.scenes).items()):
        lines.append(f"  subgraph cluster_{n} {{")
        lines.append(f"    label={_dot_quote(chapter)}; style=dashed; color=gray50;")
        lines.extend(f"    {_dot_quote(sid)} [{_node(story, sid, found)}];" for sid in sids)
        lines.append("  }")
    for sid in view.outside:
        scene = story.scenes[sid]
        label = _dot_quote(f"{sid}\n({scene.chapter})")
        lines.append(f"  {_dot_quote(sid)} [label={label}, style=dashed, color=gray60, fontcolor=gray40, "
                     f"tooltip={_dot_quote(f'{scene.title}: outside this view')}];")
    drawn = set(view.scenes) | set(view.outside)
    inside = set(view.scenes)
    used = {"ending"} if any(story.scenes[sid].ending is not None for sid in view.scenes) else set()
    for edge in edges(story):
        if edge.source in drawn and edge.target in drawn and (edge.source in inside or edge.target in inside):
            used.add(edge.kind)
            if edge.hidden:
                used.add("hidden")
            if (edge.source, edge.index) in found.dead:
                used.add("dead")
            lines.append(f"  {_dot_quote(edge.source)} -> {_dot_quote(edge.target)} [{_edge_attrs(edge, found)}];")
    if legend:
        lines.extend(_legend(used, found, view, story.start))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Mermaid labels are quoted; quotes and a few characters become entity codes."""
    out = " ".join(text.split())
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;")):
        out = out.replace(char, code)
    return out


def _short(text: str) -> str:
    return _wrapped(text).replace("\n", " ")


def to_mermaid(story: Story, view: View | None = None, found: Marks | None = None) -> str:
    """A Mermaid flowchart. Node ids are prefixed so that a scene called `end` cannot end a block."""
    view = view or _whole(story)
    found = found or Marks()
    lines = ["flowchart TD"]
    for n, (chapter, sids) in enumerate(_chapters(story, view.scenes).items()):
        lines.append(f'  subgraph c{n}["{_mermaid_text(chapter)}"]')
        for sid in sids:
            scene = story.scenes[sid]
            if scene.ending is not None:
                lines.append(f'    s_{sid}(["{_mermaid_text(_short(scene.ending.title))}"])')
            else:
                lines.append(f'    s_{sid}["{_mermaid_text(_short(scene.title))}"]')
        lines.append("  end")
    lines.extend(f'  s_{sid}["{_mermaid_text(sid)}"]' for sid in view.outside)
    drawn, inside = set(view.scenes) | set(view.outside), set(view.scenes)
    dead: list[int] = []
    shown = [e for e in edges(story)
             if e.source in drawn and e.target in drawn and (e.source in inside or e.target in inside)]
    for n, edge in enumerate(shown):
        label = _short(edge.text) + (f" ({edge.odds})" if edge.odds else "") \
            + (f" [if {_short(edge.condition)}]" if edge.condition else "")
        arrow = EDGE_KINDS[edge.kind].arrow
        text = "" if edge.kind == "next" else f'|"{_mermaid_text(label)}"|'
        lines.append(f"  s_{edge.source} {arrow}{text} s_{edge.target}")
        if (edge.source, edge.index) in found.dead:
            dead.append(n)
    lines.extend(_mermaid_classes(story, view, found, dead))
    return "\n".join(lines) + "\n"


def _mermaid_classes(story: Story, view: View, found: Marks, dead: list[int]) -> list[str]:
    endings = [f"s_{sid}" for sid in view.scenes if story.scenes[sid].ending is not None]
    locks = [f"s_{sid}" for sid in view.scenes if sid in found.soft_locks]
    lines = ["  classDef start stroke-width:4px", "  classDef ending fill:#eeeeee",
             "  classDef lock fill:#ffe4e1,stroke:#cd0000", "  classDef outside stroke-dasharray:4,color:#666666"]
    classes = [("start", [f"s_{story.start}"] if story.start in view.scenes else []), ("ending", endings),
               ("lock", locks), ("outside", [f"s_{sid}" for sid in view.outside])]
    lines.extend(f"  class {','.join(ids)} {name}" for name, ids in classes if ids)
    if dead:
        lines.append(f"  linkStyle {','.join(map(str, dead))} stroke:#cd0000,color:#cd0000")
    return lines


def render(dot_text: str, fmt: str, *, wait: Callable[[], None] | None = None) -> bytes:
    """SVG or PNG bytes from DOT, through Graphviz. `wait`, when given, is called about ten times a second
    while Graphviz draws (so a progress display can turn)."""
    dot = shutil.which("dot")
    if dot is None:
        raise ZoneError(GRAPHVIZ_HINT)
    try:
        with subprocess.Popen([dot, f"-T{fmt}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as proc:
            try:
                out, err = _communicate(proc, dot_text.encode("utf-8"), wait)
            except BaseException:
                proc.kill()
                raise
    except OSError as exc:
        raise ZoneError(f"Graphviz's dot failed: {exc}") from None
    if proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise ZoneError(f"Graphviz's dot failed: {message[0] if message else 'exit ' + str(proc.returncode)}")
    return out


def _communicate(proc: subprocess.Popen[bytes], data: bytes, wait: Callable[[], None] | None) -> tuple[bytes, bytes]:
    try:
        return proc.communicate(data, timeout=0.1)
    except subprocess.TimeoutExpired:
        pass
    while True:
        if wait is not None:
            wait()
        try:
            return proc.communicate(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
