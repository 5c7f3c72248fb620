"""Progress on a terminal for the tools that take a while, nothing on a pipe, and Ctrl-C that keeps the findings."""

from __future__ import annotations

import io
import os
import signal
import sys
from pathlib import Path

import pexpect

from tests.conftest import PACKS, ROOT, run_process
from zone.environment import Environment
from zone.progress import Progress, shows_progress


def big_pack(folder: Path, top: int) -> Path:
    """A pack whose one scene has (top + 1) ** 3 states: three counters that all have to reach `top`."""
    folder.mkdir()
    counters = "".join(f"  {n}: {{default: 0, range: [0, {top}], about: a counter}}\n" for n in "abc")
    (folder / "story.yaml").write_text(f'id: big\ntitle: Big\nversion: "1"\nstart: hub\nvars:\n{counters}')
    steps = "".join(f"    - text: Step {n}.\n      if: {n} < {top}\n      do: {n} += 1\n      goto: hub\n"
                    for n in "abc")
    (folder / "walk.yaml").write_text(
        f"hub:\n  title: Hub\n  text: Round and round.\n  choices:\n{steps}"
        f"    - text: Leave.\n      if: a == {top} and b == {top} and c == {top}\n      goto: out\n"
        "out:\n  title: Out\n  text: Done.\n  ending: Out\n")
    return folder


def spawn(*argv: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color", "ZONE_CACHE": "off", "COLUMNS": "100"}
    return pexpect.spawn(sys.executable, ["-m", "zone", *argv], cwd=str(ROOT), env=env, encoding="utf-8",
                         timeout=60, dimensions=(24, 100))


def test_prove_shows_progress_on_a_terminal_and_ctrl_c_prints_what_it_found(tmp_path: Path) -> None:
    pack = big_pack(tmp_path / "big", 150)  # 3.4 million states: far more than a test waits for
    child = spawn("prove", str(pack), "--max-states", "5000000")
    child.expect(r"prove: exploring .* states found")
    child.kill(signal.SIGINT)
    child.expect(r"Proof of Big interrupted: (\d+) distinct states found so far")
    assert int(child.match.group(1)) > 0
    child.expect("Endings reached so far")
    child.expect("Soft locks found so far: none")
    child.expect("zone: interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")


def test_prove_on_a_pipe_shows_no_progress(tmp_path: Path) -> None:
    pack = big_pack(tmp_path / "big", 50)  # 51 ** 3 + 1 states: a second or two
    proc = run_process("prove", str(pack), env={"TERM": "xterm-256color"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Proof of Big (big 1)\n  every reachable state explored: 132652 distinct states")
    assert "\x1b" not in proc.stdout + proc.stderr and "\r" not in proc.stdout
    assert "exploring" not in proc.stdout + proc.stderr


def test_ctrl_c_in_a_playtest_reports_the_runs_done(tmp_path: Path) -> None:
    for jobs in ("1", "2"):
        child = spawn("playtest", str(PACKS / "prove"), "--runs", "5000000", "--jobs", jobs)
        child.expect(r"playtest .* [1-9][\d,]* of 5,000,000 runs")
        child.kill(signal.SIGINT)
        child.expect(r"Interrupted after (\d+) of 5000000 runs; what they found:")
        assert 0 < int(child.match.group(1)) < 5000000
        child.expect("Playtest of A Walk With a Known Map")
        child.expect("Coverage")
        child.expect("zone: interrupted")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130, jobs
        assert "Traceback" not in (child.before or "")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_for_terminals_only() -> None:
    def env(stream: io.StringIO, term: str = "xterm") -> Environment:
        return Environment(stdin=io.StringIO(), stdout=stream, stderr=io.StringIO(), vars={"TERM": term})

    assert shows_progress(env(_Tty()))
    assert not shows_progress(env(_Tty()), quiet=True)  # --json
    assert not shows_progress(env(_Tty(), "dumb"))
    assert not shows_progress(env(io.StringIO()))
    piped = io.StringIO()
    with Progress(env(piped), "work", 10, delay=0) as bar:
        bar.update(5)
        bar.phase("more work")
        bar.advance()
    assert piped.getvalue() == ""
