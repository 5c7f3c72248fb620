"""`zone graph`: DOT that Graphviz accepts, Mermaid of the right shape, a clear word when dot is missing."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, PACKS, run_main
from zone.author.graph import EDGE_KINDS, GRAPHVIZ_HINT, LARGE, edges, kind_of, to_dot, to_mermaid
from zone.pack import load_pack

PROVE = PACKS / "prove"
NODE = re.compile(r'    s_[a-z0-9_]+(\["[^"]*"\]|\(\["[^"]*"\]\))')
EDGE = re.compile(r'  s_([a-z0-9_]+) (-->|-\.->)\|"[^"]*"\| s_([a-z0-9_]+)')


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed here")
def test_dot_output_is_accepted_by_graphviz(tmp_path: Path) -> None:
    result = run_main("graph", str(PROVE), "--format", "dot")
    done = subprocess.run(["dot", "-Tsvg"], input=result.out, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout
    assert run_main("graph", str(PROVE), "--format", "svg", "-o", str(tmp_path / "map.svg")).status == 0
    assert (tmp_path / "map.svg").read_text().lstrip().startswith("<?xml")


def test_dot_output_has_every_scene_and_choice() -> None:
    out = run_main("graph", str(PROVE)).out
    assert out.startswith('digraph "prove_walk" {') and out.rstrip().endswith("}")
    assert out.count("subgraph cluster_") == 2  # the one chapter, and the legend
    assert '"camp" [label="The camp\\ncamp", penwidth=3, tooltip=' in out
    assert '"far_shore" [label="END: The far shore\\nfar_shore", shape=box, style="rounded,filled"' in out
    assert '"trail" -> "cave" [label="Go down into the cave.\\n[if flags.lamp]", style=dashed, tooltip=' in out
    assert '"trail" -> "river" [label="Cross the bridge. (1/2)\\n[if guide.trust >= 1]", style=dotted, ' in out
    map_edges = [line for line in out.splitlines() if " -> " in line and "legend_" not in line]
    assert len(map_edges) == len(edges(load_pack(PROVE))) == 9


def test_mermaid_output_has_the_shape_of_a_flowchart() -> None:
    story = load_pack(PROVE)
    lines = to_mermaid(story).splitlines()
    assert lines[0] == "flowchart TD"
    body = lines[1:]
    assert sum(1 for line in body if line.startswith("  subgraph ")) == sum(1 for line in body if line == "  end")
    nodes = [line for line in body if line.startswith("    s_")]
    assert len(nodes) == len(story.scenes) and all(NODE.fullmatch(line) for line in nodes)
    found = [EDGE.fullmatch(line) for line in body if " s_" in line and ("-->" in line or "-.->" in line)]
    assert len(found) == 9 and all(found)
    ids = {f"s_{sid}" for sid in story.scenes}
    assert all(f"s_{m.group(1)}" in ids and f"s_{m.group(3)}" in ids for m in found if m)
    assert "  class s_camp start" in body
    assert "  class s_far_shore,s_river,s_treasure,s_spring ending" in body


def test_mermaid_labels_cannot_break_out_of_their_quotes(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: q\ntitle: Q\nversion: "1"\nstart: end\n')
    (tmp_path / "s.yaml").write_text('end:\n  title: "Say \\"no\\" | #1"\n  text: t\n  choices:\n'
                                     '    - text: "go -> \\"there\\""\n      goto: z\n'
                                     "z:\n  title: Z\n  text: z\n  ending: Z\n")
    text = to_mermaid(load_pack(tmp_path))
    assert 's_end["Say #quot;no#quot; #124; #35;1"]' in text
    assert '  s_end -->|"go -#gt; #quot;there#quot;"| s_z' in text


def test_svg_without_graphviz_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = run_main("graph", str(PROVE), "--format", "svg", "-o", str(tmp_path / "x.svg"))
    assert result.status == 1
    assert result.err.strip() == f"zone: {GRAPHVIZ_HINT}"
    assert not (tmp_path / "x.svg").exists()


def test_png_needs_an_output_file() -> None:
    result = run_main("graph", str(PROVE), "--format", "png")
    assert result.status == 2 and "-o map.png" in result.err


def test_output_to_a_file(tmp_path: Path) -> None:
    result = run_main("graph", str(PROVE), "--format", "mermaid", "-o", str(tmp_path / "map.mmd"))
    assert result.status == 0 and "(7 scenes)" in result.out
    assert (tmp_path / "map.mmd").read_text().startswith("flowchart TD\n")


@pytest.mark.parametrize(("name", "start"), [("map.dot", "digraph"), ("map.gv", "digraph"), ("map.mmd", "flowchart TD"),
                                             ("MAP.MERMAID", "flowchart TD")])
def test_the_output_files_extension_decides_the_format(tmp_path: Path, name: str, start: str) -> None:
    result = run_main("graph", str(PROVE), "-o", str(tmp_path / name))
    assert (result.status, result.err) == (0, "")
    assert (tmp_path / name).read_text().startswith(start)


@pytest.mark.parametrize(("argv", "message"), [
    (["-o", "map.txt"], "zone: -o: cannot tell the format of 'map.txt' from its extension: name it .dot, .mmd, "
                        ".svg or .png, or give --format\n"),
    (["-o", "map"], "zone: -o: cannot tell the format of 'map' from its extension: name it .dot, .mmd, "
                    ".svg or .png, or give --format\n"),
    (["-o", "map.png", "--format", "dot"], "zone: --format dot contradicts -o map.png, which is png: "
                                           "drop --format or name the file map.dot\n"),
    (["-o", "map.mmd", "--format", "svg"], "zone: --format svg contradicts -o map.mmd, which is mermaid: "
                                           "drop --format or name the file map.svg\n"),
])
def test_an_output_file_whose_format_is_unclear_is_refused(tmp_path: Path, argv: list[str], message: str) -> None:
    argv = [str(tmp_path / a) if a.startswith("map") else a for a in argv]
    result = run_main("graph", str(PROVE), *argv)
    assert (result.status, result.out) == (2, "")
    assert result.err == message
    assert list(tmp_path.iterdir()) == []


def test_an_explicit_format_names_a_file_without_a_known_extension(tmp_path: Path) -> None:
    result = run_main("graph", str(PROVE), "--format", "mermaid", "-o", str(tmp_path / "map.txt"))
    assert result.status == 0 and (tmp_path / "map.txt").read_text().startswith("flowchart TD")


def test_png_from_the_extension(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without Graphviz: one line naming what to install, and nothing written. With it: a real PNG."""
    if shutil.which("dot") is None:
        result = run_main("graph", str(PROVE), "-o", str(tmp_path / "map.png"))
        assert (result.status, result.err) == (1, f"zone: {GRAPHVIZ_HINT}\n")
        assert list(tmp_path.iterdir()) == []
    else:
        result = run_main("graph", str(PROVE), "-o", str(tmp_path / "map.png"))
        assert result.status == 0
        assert (tmp_path / "map.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = run_main("graph", str(PROVE), "-o", str(tmp_path / "other.png"))
    assert (result.status, result.err) == (1, f"zone: {GRAPHVIZ_HINT}\n")
    assert not (tmp_path / "other.png").exists()


# -- drawn by Graphviz: what a reader of the picture sees ------------------------------------------------

XLINK = "{http://www.w3.org/1999/xlink}title"
LONG = ("Follow the old surveyor's markers along the embankment, past the rusted railway cars, "
        "until the grass closes over the rails")
CHAPTERED = {"story.yaml": 'id: map\ntitle: Map\nversion: "1"\nstart: gate\nchapters:\n  a_out: Outside\n'
                           "  b_in: Inside\n",
             "a_out.yaml": f"gate:\n  title: The gate\n  text: A gate.\n  choices:\n    - text: {LONG}\n"
                           "      goto: hall\n    - text: Wait.\n      goto: gate\n",
             "b_in.yaml": "hall:\n  title: The hall\n  text: A hall.\n  next: room\n"
                          "room:\n  title: The room\n  text: The room.\n  ending: The room\n"}


def needs_graphviz() -> None:
    """Skip, saying why, only where Graphviz's dot cannot be had (make test installs it when it can)."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed here, and could not be installed by 'make test' "
                    "(it needs apt-get and root)")


def chaptered(tmp_path: Path) -> Path:
    folder = tmp_path / "map"
    folder.mkdir()
    for name, text in CHAPTERED.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def svg_of(tmp_path: Path, *argv: str) -> ET.Element:
    result = run_main("graph", *argv, "-o", str(tmp_path / "map.svg"))
    assert (result.status, result.err) == (0, ""), result.err
    return ET.fromstring((tmp_path / "map.svg").read_text(encoding="utf-8"))


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]


def test_svg_has_a_legend_chapters_and_whole_labels_in_tooltips(tmp_path: Path) -> None:
    needs_graphviz()
    svg = svg_of(tmp_path, str(chaptered(tmp_path)))
    words = texts(svg)
    assert "Legend" in words and "Outside" in words and "Inside" in words  # clusters by chapter, not by file
    assert "a_out.yaml" not in words
    assert "next: the scene goes on by itself" in words
    assert any(w.endswith("…") for w in words)  # the long choice is cut on the map ...
    assert LONG not in words
    tooltips = [a.get(XLINK) for a in svg.iter("{http://www.w3.org/2000/svg}a")]
    assert LONG in tooltips  # ... and whole in its tooltip


def test_dead_choices_and_soft_locks_are_marked_as_prove_finds_them(tmp_path: Path) -> None:
    needs_graphviz()
    svg = svg_of(tmp_path, str(PROVE))
    words = texts(svg)
    assert "SOFT LOCK" in words and "The cave" in words
    assert "a choice never enabled (zone prove)" in words
    tooltips = [a.get(XLINK) for a in svg.iter("{http://www.w3.org/2000/svg}a")]
    assert "Drink from the spring in the dark. [if not flags.lamp] (never enabled)" in tooltips
    assert "Climb back out. [if guide.trust == 0]" in tooltips  # an enabled one is not marked


def test_png_is_a_real_picture_of_plausible_size(tmp_path: Path) -> None:
    needs_graphviz()
    result = run_main("graph", str(chaptered(tmp_path)), "-o", str(tmp_path / "map.png"))
    assert (result.status, result.err) == (0, "")
    data = (tmp_path / "map.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert 200 <= width <= 5000 and 100 <= height <= 5000
    assert len(data) > 5000


def test_the_bundled_game_renders_with_its_chapters(tmp_path: Path) -> None:
    needs_graphviz()
    words = texts(svg_of(tmp_path, str(BUNDLED)))
    story = load_pack(BUNDLED)
    assert all(chapter in words for chapter in story.chapters)
    assert "Legend" in words


def test_next_is_drawn_as_its_own_kind_of_edge() -> None:
    out = run_main("graph", str(PACKS / "cloak")).out
    line = next(line for line in out.splitlines() if line.startswith('  "storm" -> "foyer"'))
    assert EDGE_KINDS["next"].dot in line and 'label=""' in line
    assert "next: the scene goes on by itself" in out  # and the legend says what it is


def test_every_choice_of_every_pack_is_drawn_by_a_kind_the_legend_knows() -> None:
    for pack in (PROVE, PACKS / "cloak", PACKS / "tui" / "walk", BUNDLED):
        story = load_pack(pack)
        assert {kind_of(c) for s in story.scenes.values() for c in s.choices} <= set(EDGE_KINDS)
    assert all(kind.legend for kind in EDGE_KINDS.values())


def test_from_and_depth_draw_the_scenes_near_one_scene() -> None:
    out = run_main("graph", str(PROVE), "--from", "camp", "--depth", "1").out
    assert 'graph [label="A Walk With a Known Map (1 choice from camp)"' in out
    nodes = re.findall(r'^    "([a-z_]+)" \[', out, re.M)
    assert nodes == ["camp", "trail"]
    outside = re.findall(r'^  "([a-z_]+)" \[label=.*style=dashed', out, re.M)
    assert sorted(outside) == ["cave", "far_shore", "river"]  # one step further, drawn faintly
    assert "outside this view" in out


def test_chapter_draws_one_chapter_by_title_or_file() -> None:
    by_title = run_main("graph", str(BUNDLED), "--chapter", "the bar").out
    by_file = run_main("graph", str(BUNDLED), "--chapter", "bar").out
    assert by_title == by_file
    story = load_pack(BUNDLED)
    inside = re.findall(r'^    "([a-z_]+)" \[', by_title, re.M)
    assert inside == [sid for sid, s in story.scenes.items() if s.chapter == "The bar"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--chapter", "The Bra"], "zone: --chapter: there is no chapter 'The Bra' in this pack (did you mean "
                               "'The bar'?); its chapters are "),
    (["--from", "bar_tabel"], "zone: --from: there is no scene 'bar_tabel' in this pack (did you mean "
                              "'bar_table'?)\n"),
    (["--depth", "2"], "zone: --depth counts choices from a scene: give --from SCENE too\n"),
])
def test_a_focus_that_names_nothing_is_refused(argv: list[str], message: str) -> None:
    result = run_main("graph", str(BUNDLED), *argv)
    assert (result.status, result.out) == (2, "")
    assert result.err.startswith(message) and result.err.count("\n") == 1


def test_a_large_pack_gets_a_warning_and_the_ways_to_focus(tmp_path: Path) -> None:
    scenes = "".join(f"s{i}:\n  title: S{i}\n  text: t\n  choices:\n    - text: On.\n      goto: s{i + 1}\n"
                     for i in range(LARGE))
    scenes += f"s{LARGE}:\n  title: End\n  text: t\n  ending: End\n"
    (tmp_path / "story.yaml").write_text('id: big\ntitle: Big\nversion: "1"\nstart: s0\n')
    (tmp_path / "s.yaml").write_text(scenes)
    result = run_main("graph", str(tmp_path))
    assert result.status == 0 and result.out.startswith("digraph")
    assert result.err == (f"zone: warning: a map of {LARGE + 1} scenes is slow to draw and hard to read; draw a "
                          "part of it with --chapter NAME or --from SCENE --depth N\n")
    focused = run_main("graph", str(tmp_path), "--from", "s10", "--depth", "5")
    assert focused.err == "" and len(re.findall(r'^    "s\d+" \[', focused.out, re.M)) == 6


def test_a_call_is_drawn_to_the_called_scene_back_to_where_it_goes_on_and_its_return_back() -> None:
    story = load_pack(PACKS / "calls")
    drawn = {(e.source, e.target, e.kind) for e in edges(story)}
    assert {("yard", "well", "call"), ("yard", "yard", "after"), ("well", "yard", "return"),
            ("rim", "yard", "return")} <= drawn
    dot = to_dot(story)
    assert "call: the scene is entered, and comes back" in dot and "return: back from a call" in dot
