"""`zone graph`: DOT that Graphviz accepts, Mermaid of the right shape, a clear word when dot is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PACKS, run_main
from zone.author.graph import GRAPHVIZ_HINT, edges, to_mermaid
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
    assert out.count("subgraph cluster_") == 1
    assert '"camp" [label="The camp\\ncamp", penwidth=3];' in out
    assert '"far_shore" [label="END: The far shore\\nfar_shore", shape=box, style="rounded,filled"' in out
    assert '"trail" -> "cave" [label="Go down into the cave.\\n[if flags.lamp]", style=dashed];' in out
    assert '"trail" -> "river" [label="Cross the bridge. (1/2)\\n[if guide.trust >= 1]", style=dotted];' in out
    assert out.count(" -> ") == len(edges(load_pack(PROVE))) == 9


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
