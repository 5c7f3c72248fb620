"""Every command survives a broken file of the bundled game: exit 1 with file:line:col, never a crash.

Each file of the bundled pack is corrupted in each way below and checked; every
command is run on a seeded sample of those cases, so that each command meets
each kind of corruption, and on the case that used to crash every command: a
broken file that another file's `goto` points into.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, run_main, run_process

FILES = sorted(p.name for p in BUNDLED.glob("*.yaml"))
_LINE = re.compile(rb"^\s*title: ", re.M)


def _syntax(data: bytes, rng: random.Random) -> bytes:
    """An unclosed flow list at the start of a seeded line."""
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A and i + 1 < len(data)]
    at = rng.choice(starts)
    return data[:at] + b"broken: [unclosed\n" + data[at:]


def _after_first_title(data: bytes, extra: bytes) -> bytes:
    match = _LINE.search(data)
    assert match is not None
    return data[:match.end()] + extra + data[match.end():]


def _anchor(data: bytes, rng: random.Random) -> bytes:
    return _after_first_title(data, b"&here ")


def _tag(data: bytes, rng: random.Random) -> bytes:
    return _after_first_title(data, b"!!str ")


def _bad_utf8(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b"\xff" + data[at:]


def _truncated(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(len(data) // 4, len(data) // 2)]


def _duplicate_key(data: bytes, rng: random.Random) -> bytes:
    match = _LINE.search(data)
    assert match is not None
    end = data.index(b"\n", match.end()) + 1
    return data[:end] + data[match.start():end] + data[end:]


KINDS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "syntax": _syntax, "anchor": _anchor, "tag": _tag, "bad-utf8": _bad_utf8, "truncated": _truncated,
    "duplicate-key": _duplicate_key,
}
# The code each kind is reported with in the broken file itself (truncation may
# leave valid YAML that lacks scenes, reported where they are missing).
CODES = {"syntax": "ZN004", "anchor": "ZN006", "tag": "ZN007", "bad-utf8": "ZN003", "duplicate-key": "ZN005"}

COMMANDS: list[tuple[str, ...]] = [
    ("check",), ("check", "--json"), ("stats",), ("graph",), ("prove",), ("playtest", "--runs", "5"),
    ("play", "--plain", "--saves", "{saves}"),
]
POSITION = re.compile(r"^(?P<file>[^\s:][^:]*\.yaml):(?P<line>\d+):(?P<col>\d+): error (?P<code>ZN\d{3}): ", re.M)


def corrupt(tmp_path: Path, name: str, kind: str) -> Path:
    pack = Path(shutil.copytree(BUNDLED, tmp_path / "pack"))
    rng = random.Random(f"{name}/{kind}")
    path = pack / name
    path.write_bytes(KINDS[kind](path.read_bytes(), rng))
    return pack


def run_command(command: tuple[str, ...], pack: Path, tmp_path: Path) -> tuple[int, str, list[tuple[str, str]]]:
    """Status, everything printed, and the (file, code) of each positioned error."""
    argv = [arg.replace("{saves}", str(tmp_path / "saves")) for arg in command]
    result = run_main(*argv[:1], str(pack), *argv[1:], stdin="1\n1\n")
    printed = result.out + result.err
    assert "Traceback" not in printed and "internal error" not in printed
    if command == ("check", "--json"):
        errors = [(Path(d["file"]).name, d["code"]) for d in json.loads(result.out)["diagnostics"]
                  if d["severity"] == "error" and d["line"] > 0 and d["col"] > 0]
    else:
        errors = [(Path(m["file"]).name, m["code"]) for m in POSITION.finditer(printed)]
    return result.status, printed, errors


def assert_refused(kind: str, name: str, status: int, printed: str, errors: list[tuple[str, str]]) -> None:
    assert status == 1, printed
    assert errors, printed
    if kind in CODES:
        assert (name, CODES[kind]) in errors, printed


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", FILES)
def test_check_reports_each_broken_file_at_its_place(tmp_path: Path, name: str, kind: str) -> None:
    pack = corrupt(tmp_path, name, kind)
    assert_refused(kind, name, *run_command(("check",), pack, tmp_path))


SAMPLE = random.Random(7).sample([f for f in FILES if f != "story.yaml"], 2) + ["story.yaml"]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]).replace("{saves}", ""))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_command_refuses_a_broken_file_calmly(tmp_path: Path, command: tuple[str, ...], kind: str) -> None:
    for name in SAMPLE:
        pack = corrupt(tmp_path / name, name, kind)
        assert_refused(kind, name, *run_command(command, pack, tmp_path))


def goto_into_broken_file(folder: Path, broken: bytes) -> Path:
    """The smallest pack whose start scene leads into a file that cannot be read."""
    folder.mkdir()
    (folder / "story.yaml").write_text('id: crash1\ntitle: Crash\nversion: "1"\nstart: a\n')
    (folder / "a.yaml").write_text("a: {title: A, text: Hi., choices: [{text: Go., goto: b}]}\n")
    (folder / "b.yaml").write_bytes(broken)
    return folder


BROKEN_B = {"syntax": b"b:\n  title: B\n  text: [Bye\n  ending: End\n",
            "anchor": b"b:\n  title: &t B\n  text: Bye.\n  ending: End\n",
            "tag": b"b:\n  title: !!str B\n  text: Bye.\n  ending: End\n",
            "bad-utf8": b"b:\n  title: B\xff\n  text: Bye.\n  ending: End\n"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]).replace("{saves}", ""))
@pytest.mark.parametrize("kind", sorted(BROKEN_B))
def test_a_goto_into_an_unreadable_file_says_the_file_could_not_be_read(
        tmp_path: Path, command: tuple[str, ...], kind: str) -> None:
    pack = goto_into_broken_file(tmp_path / "p", BROKEN_B[kind])
    status, printed, errors = run_command(command, pack, tmp_path)
    assert status == 1, printed
    assert ("a.yaml", "ZN036") in errors and ("b.yaml", CODES[kind]) in errors
    assert "unknown scene 'b'; b.yaml could not be read" in printed


def test_the_real_program_reports_a_goto_into_a_broken_file_without_a_traceback(tmp_path: Path) -> None:
    pack = goto_into_broken_file(tmp_path / "p", BROKEN_B["syntax"])
    for argv in (("check", str(pack)), ("play", str(pack), "--plain")):
        done = run_process(*argv, stdin="1\n", env={"ZONE_CACHE": "off"})
        assert done.returncode == 1, done.stderr
        assert "a.yaml:1:54: error ZN036: unknown scene 'b'; b.yaml could not be read" in done.stdout + done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
