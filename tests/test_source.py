"""The YAML reader: positions on every node, strict scalars, and two paths that agree."""

from __future__ import annotations

from pathlib import Path

import pytest

import zone.source
from tests.conftest import BUNDLED, PACKS, ROOT
from zone.source import Node, _parse_composed, _parse_events, parse_text

pytestmark = pytest.mark.usefixtures("yaml_reader")

FILES = sorted([*PACKS.rglob("*.yaml"), *BUNDLED.glob("*.yaml")])


def plain(node: Node | None) -> object:
    """A node tree as (value, line, col, ambiguous, quoted) tuples, for comparison."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        return ({k: (plain(node.keys[k]), plain(v)) for k, v in node.value.items()}, node.line, node.col)
    if isinstance(node.value, list):
        return ([plain(v) for v in node.value], node.line, node.col)
    return (node.value, type(node.value).__name__, node.line, node.col, node.ambiguous, node.quoted)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_and_careful_paths_build_the_same_tree(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast, fast_diags = _parse_composed(text, "f.yaml")
    careful, careful_diags = _parse_events(text, "f.yaml", zone.source._PositionLoader)
    assert plain(fast) == plain(careful)
    assert fast_diags == careful_diags


def test_positions_are_one_based_line_and_column() -> None:
    root, diags = parse_text("gate:\n  title: The gate\n  choices:\n    - text: Go\n", "x.yaml")
    assert not diags and root is not None
    gate = root.value["gate"]
    assert (root.keys["gate"].line, root.keys["gate"].col) == (1, 1)
    assert (gate.value["title"].line, gate.value["title"].col) == (2, 10)
    first = gate.value["choices"].value[0]
    assert (first.line, first.col) == (4, 7)


@pytest.mark.parametrize(
    ("text", "value", "ambiguous"),
    [("x: 12", 12, False), ("x: -3", -3, False), ("x: true", True, False), ("x: ~", None, False),
     ("x: no", "no", True), ("x: On", "On", True), ("x: 012", "012", True), ("x: '012'", "012", False),
     ("x: 1.5", 1.5, False), ("x: hello", "hello", False), ("x: 99999999999999999999", "99999999999999999999", True)],
)
def test_scalars_resolve_strictly(text: str, value: object, ambiguous: bool) -> None:
    for parse in (_parse_composed, _parse_events):
        root, _ = parse(text, "x.yaml")
        assert root is not None
        node = root.value["x"]
        assert (node.value, node.ambiguous) == (value, ambiguous)


@pytest.mark.parametrize(
    ("text", "code"),
    [("a: !!str x", "ZN007"), ("a: &x 1\nb: *x", "ZN006"), ("a: 1\na: 2", "ZN005"), ("a: [1", "ZN004"),
     ("a: 1\n---\nb: 2", "ZN004"), ("? [a]\n: 1", "ZN010"), ("a: \x07", "ZN004")],
)
def test_refusals_on_either_path(text: str, code: str) -> None:
    root, diags = parse_text(text, "x.yaml")
    assert [d.code for d in diags][:1] == [code]
    assert all(d.pos.line >= 1 and d.pos.col >= 1 for d in diags)


@pytest.mark.parametrize("text", [
    "a: " + "[\n" * 100_000 + "]" * 100_000,  # flow nesting spread over lines
    "a: " + "{b: " * 50_000 + "}" * 50_000,
    "- " * 200_000 + "x",
    "".join(" " * i + "- \n" for i in range(0, 3000, 1)),
])
def test_nesting_that_would_crash_libyaml_is_refused_safely(text: str) -> None:
    root, diags = parse_text(text, "deep.yaml")
    assert root is None
    assert diags[0].code == "ZN008"


@pytest.mark.parametrize(("text", "line", "col"), [
    ("gate: " + "[" * 2000 + "]" * 2000, 1, 70),  # beyond libyaml's own limit in newer releases
    ("a:\n" + "".join(" " * i + "- \n" for i in range(1, 1500)), 65, 65),
    ("a: " + "{b: " * 70 + "1" + "}" * 70, 1, 256),
])
def test_nesting_is_refused_by_zones_own_bound_at_its_first_level_too_many(text: str, line: int, col: int) -> None:
    root, diags = parse_text(text, "deep.yaml")
    assert root is None
    assert [(d.code, d.pos.line, d.pos.col) for d in diags] == [("ZN008", line, col)]
    assert diags[0].message == "nesting deeper than 64 levels"


def test_a_librarys_own_depth_error_is_reported_as_zones() -> None:
    import yaml

    mark = yaml.Mark("x.yaml", 0, 2, 9, None, None)
    exc = yaml.scanner.ScannerError("while increasing flow level", mark, "exceeded maximum nesting depth", mark)
    diagnostic = zone.source._yaml_error(exc, "", "x.yaml")
    assert (diagnostic.code, diagnostic.pos.line, diagnostic.pos.col) == ("ZN008", 3, 10)


def test_a_colon_inside_unquoted_text_says_to_quote_it() -> None:
    text = "gate:\n  choices:\n    - text: Walk on. {if nuts > 1: Heavy pocket.}\n      goto: path\n"
    _, diags = parse_text(text, "walk.yaml")
    assert [(d.code, d.pos.line) for d in diags] == [("ZN004", 3)]
    assert "put the text in quotes, or in a '|' block" in diags[0].format()
    quoted = text.replace("Walk on. {if nuts > 1: Heavy pocket.}", '"Walk on. {if nuts > 1: Heavy pocket.}"')
    assert parse_text(quoted, "walk.yaml")[1] == []
