"""A corpus of hostile pack files: each is refused with one-line diagnostics, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_main

pytestmark = pytest.mark.usefixtures("yaml_reader")

HOSTILE = Path(__file__).resolve().parent / "hostile"
LINE = re.compile(r"^(?P<file>[^:]+\.yaml):(?P<line>\d+):(?P<col>\d+): error (?P<code>ZN\d{3}): \S.*$")

STORY = """\
id: hostile
title: Hostile
version: "1"
start: gate
characters:
  guide:
    name: The Guide
    stats:
      faith: {default: 1, range: [0, 5], about: Faith}
"""


def check(tmp_path: Path, name: str, content: bytes | None = None) -> list[re.Match[str]]:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "story.yaml").write_text(STORY)
    target = pack / name
    if content is None:
        shutil.copy(HOSTILE / name, target)
    else:
        target.write_bytes(content)
    result = run_main("check", str(pack))
    assert result.status == 1
    assert "Traceback" not in result.out + result.err
    lines = result.out.strip().splitlines()
    summary = lines.pop()
    assert "error" in summary
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return [m for m in matches if m is not None]


@pytest.mark.parametrize(
    ("name", "code", "line", "col"),
    [
        ("python_tag.yaml", "ZN007", 2, 10),
        ("alias_bomb.yaml", "ZN006", 1, 4),
        ("deep_nesting.yaml", "ZN008", 1, 70),
        ("duplicate_keys.yaml", "ZN005", 4, 3),
        ("invalid_utf8.yaml", "ZN003", 3, 13),
        ("goto_no.yaml", "ZN009", 6, 13),
        ("nested_parens.yaml", "ZN021", 7, 11),
    ],
)
def test_hostile_file_is_refused_at_its_position(tmp_path: Path, name: str, code: str, line: int, col: int) -> None:
    found = check(tmp_path, name)
    assert (found[0]["code"], int(found[0]["line"]), int(found[0]["col"])) == (code, line, col)
    assert found[0]["file"].endswith(name)


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    found = check(tmp_path, "duplicate_keys.yaml")
    assert "duplicate key 'title' (first at line 2)" in found[0].group(0)


def test_two_mebibyte_file_is_refused_without_parsing(tmp_path: Path) -> None:
    found = check(tmp_path, "big.yaml", b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    assert found[0]["code"] == "ZN002"


def test_each_hostile_expression_is_refused_on_its_own(tmp_path: Path) -> None:
    found = check(tmp_path, "expressions.yaml")
    source = (HOSTILE / "expressions.yaml").read_text().splitlines()
    hostile_lines = [i + 1 for i, text in enumerate(source) if text.strip().startswith("- {text:")]
    assert sorted(int(m["line"]) for m in found) == hostile_lines
    assert {m["code"] for m in found} <= {"ZN015", "ZN016"}
    messages = "\n".join(m.group(0) for m in found)
    for reason in ("calls are not allowed", "'**' is not allowed", "'<<' is not allowed", "strings are not allowed",
                   "names starting with '_' are not allowed", "subscripts are not allowed"):
        assert reason in messages


def test_yaml_1_1_booleans_are_ambiguous_where_text_is_expected(tmp_path: Path) -> None:
    scene = b"gate:\n  title: on\n  text: Rain.\n  ending: The end\n"
    found = check(tmp_path, "gate.yaml", scene)
    assert found[0]["code"] == "ZN009"
    assert "'on' is ambiguous" in found[0].group(0)


def test_octal_looking_number_is_ambiguous(tmp_path: Path) -> None:
    story = STORY.replace("default: 1,", "default: 012,")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "story.yaml").write_text(story)
    (pack / "gate.yaml").write_text("gate:\n  title: Gate\n  text: Rain.\n  ending: The end\n")
    result = run_main("check", str(pack))
    assert result.status == 1
    assert ":9:24: error ZN009: '012' is ambiguous" in result.out
