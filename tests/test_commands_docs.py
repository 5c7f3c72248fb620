"""`zone docs [TOPIC]`: the guides in the terminal, shipped with Zone."""

from __future__ import annotations

import os
import sys

import pexpect

from tests.conftest import ROOT, run_main
from zone.commands.docs import topics

DOCS = ROOT / "docs"


def test_every_guide_is_a_topic_with_the_authoring_guide_first() -> None:
    found = topics()
    assert set(found) == {p.stem for p in DOCS.glob("*.md")}
    assert next(iter(found)) == "authoring" and {"tools", "playing", "saves"} <= set(found)


def test_no_topic_lists_the_topics_then_prints_the_guide() -> None:
    result = run_main("docs")
    assert result.status == 0 and result.err == ""
    head, _, rest = result.out.partition("\n\n# Writing a scene pack\n")
    assert head.startswith("Topics: zone docs TOPIC\n")
    assert "    tools        Tools for authors" in head.splitlines()
    assert "    authoring    Writing a scene pack" in head.splitlines()
    assert "# Writing a scene pack\n" + rest == (DOCS / "authoring.md").read_text(encoding="utf-8")


def test_a_topic_on_a_pipe_is_its_plain_text() -> None:
    result = run_main("docs", "tools")
    assert result.status == 0 and result.out == (DOCS / "tools.md").read_text(encoding="utf-8")


def test_an_unknown_topic_is_one_line_with_a_suggestion() -> None:
    result = run_main("docs", "tool")
    assert result.status == 2 and result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("zone: no topic 'tool' (did you mean 'tools'?); the topics are authoring, ")


def test_on_a_terminal_a_topic_is_rendered_markdown() -> None:
    child = pexpect.spawn(sys.executable, ["-m", "zone", "docs", "tools"], cwd=str(ROOT),
                          env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}, encoding="utf-8",
                          timeout=60, dimensions=(40, 100))
    child.expect(pexpect.EOF)
    out = child.before
    child.close()
    assert child.exitstatus == 0
    assert "Tools for authors" in out and "zone check" in out
    assert "\x1b[" in out  # styled
    assert "## zone check" not in out and "```console" not in out  # the Markdown marks are rendered away
