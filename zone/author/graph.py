"""`zone graph`: the story map as Graphviz DOT or Mermaid text.

Scenes are nodes grouped by the file they are written in; choices are edges
labelled with their text. The start scene is drawn bold, endings are rounded
and shaded, a conditional choice is a dashed edge (its condition in the label),
a random outcome a dotted edge with its odds, a hidden choice a grey edge.
SVG and PNG are DOT handed to Graphviz's `dot` program.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from zone.errors import ZoneError
from zone.model import Choice, Story, Text

__all__ = ["GRAPHVIZ_HINT", "Edge", "edges", "to_dot", "to_mermaid", "render"]

LABEL_LIMIT = 40
GRAPHVIZ_HINT = ("svg and png need Graphviz's 'dot' program, which is not installed: install Graphviz "
                 "(apt install graphviz, brew install graphviz, or https://graphviz.org/download/), "
                 "or use --format dot or --format mermaid")


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    text: str
    condition: str | None
    odds: str | None  # "3/4" for a random outcome
    hidden: bool


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _plain(text: Text) -> str:
    return text.source


def _choice_edges(source: str, choice: Choice) -> Iterator[Edge]:
    text = _plain(choice.text)
    condition = choice.condition.source if choice.condition is not None else None
    if choice.goto is not None:
        yield Edge(source, choice.goto, text, condition, None, choice.hidden)
        return
    for branch in choice.branches:
        way = branch.condition.source if branch.condition is not None else "otherwise"
        yield Edge(source, branch.goto, text, condition, way, choice.hidden)
    total = sum(o.weight for o in choice.outcomes)
    for outcome in choice.outcomes:
        yield Edge(source, outcome.goto, text, condition, f"{outcome.weight}/{total}", choice.hidden)


def edges(story: Story) -> list[Edge]:
    return [e for scene in story.scenes.values() for choice in scene.choices for e in _choice_edges(scene.id, choice)]


def _files(story: Story) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for scene in story.scenes.values():
        files.setdefault(PurePath(scene.file).name, []).append(scene.id)
    return files


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(story: Story) -> str:
    lines = [f"digraph {_dot_quote(story.id)} {{",
             f"  graph [label={_dot_quote(story.title)}, labelloc=t, fontname=Helvetica, rankdir=TB];",
             "  node [shape=box, fontname=Helvetica, fontsize=11];",
             "  edge [fontname=Helvetica, fontsize=9];"]
    for n, (file, sids) in enumerate(_files(story).items()):
        lines.append(f"  subgraph cluster_{n} {{")
        lines.append(f"    label={_dot_quote(file)}; style=dashed; color=gray50;")
        for sid in sids:
            scene = story.scenes[sid]
            attrs = [f"label={_dot_quote(_short(scene.title) + chr(10) + sid)}"]
            if scene.ending is not None:
                attrs[0] = f"label={_dot_quote('END: ' + _short(scene.ending.title) + chr(10) + sid)}"
                attrs.append('shape=box, style="rounded,filled", fillcolor=gray90')
            if sid == story.start:
                attrs.append("penwidth=3")
            lines.append(f"    {_dot_quote(sid)} [{', '.join(attrs)}];")
        lines.append("  }")
    for edge in edges(story):
        attrs = [f"label={_dot_quote(_edge_label(edge, chr(10)))}"]
        if edge.odds is not None:
            attrs.append("style=dotted")
        elif edge.condition is not None:
            attrs.append("style=dashed")
        if edge.hidden:
            attrs.append("color=gray60")
        lines.append(f"  {_dot_quote(edge.source)} -> {_dot_quote(edge.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edge_label(edge: Edge, before_condition: str) -> str:
    """A choice's text, its odds when random, and its condition when it has one."""
    label = _short(edge.text)
    if edge.odds is not None:
        label += f" ({edge.odds})"
    if edge.condition is not None:
        label += f"{before_condition}[if {_short(edge.condition)}]"
    return label


def _mermaid_text(text: str) -> str:
    """Mermaid labels are quoted; quotes and a few characters become entity codes."""
    out = " ".join(text.split())
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;")):
        out = out.replace(char, code)
    return out


def to_mermaid(story: Story) -> str:
    """A Mermaid flowchart. Node ids are prefixed so that a scene called `end` cannot end a block."""
    lines = ["flowchart TD"]
    for n, (file, sids) in enumerate(_files(story).items()):
        lines.append(f'  subgraph f{n}["{_mermaid_text(file)}"]')
        for sid in sids:
            scene = story.scenes[sid]
            if scene.ending is not None:
                lines.append(f'    s_{sid}(["{_mermaid_text(_short(scene.ending.title))}"])')
            else:
                lines.append(f'    s_{sid}["{_mermaid_text(_short(scene.title))}"]')
        lines.append("  end")
    for edge in edges(story):
        label = _edge_label(edge, " ")
        arrow = "-.->" if edge.condition is not None or edge.odds is not None else "-->"
        lines.append(f'  s_{edge.source} {arrow}|"{_mermaid_text(label)}"| s_{edge.target}')
    endings = [f"s_{s.id}" for s in story.scenes.values() if s.ending is not None]
    lines.append("  classDef start stroke-width:4px")
    lines.append("  classDef ending fill:#eeeeee")
    lines.append(f"  class s_{story.start} start")
    if endings:
        lines.append(f"  class {','.join(endings)} ending")
    return "\n".join(lines) + "\n"


def render(dot_text: str, fmt: str) -> bytes:
    """SVG or PNG bytes from DOT, through Graphviz."""
    dot = shutil.which("dot")
    if dot is None:
        raise ZoneError(GRAPHVIZ_HINT)
    try:
        done = subprocess.run([dot, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, timeout=120,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ZoneError(f"Graphviz's dot failed: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ZoneError(f"Graphviz's dot failed: {message[0] if message else 'exit ' + str(done.returncode)}")
    return done.stdout
