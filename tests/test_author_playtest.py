"""`zone playtest`: reproducible reports, coverage, and problems that replay with the printed command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PACKS, ROOT, run_main, run_process
from zone.author.playtest import chunks, merge, play_chunk
from zone.engine import Engine
from zone.pack import load_pack

PROVE = PACKS / "prove"


def test_the_same_runs_and_seed_give_identical_reports() -> None:
    first = run_main("playtest", str(PROVE), "--runs", "2000", "--seed", "1")
    second = run_main("playtest", str(PROVE), "--runs", "2000", "--seed", "1")
    assert first.out == second.out
    assert "2000 runs from seed 1" in first.out


def test_the_report_does_not_depend_on_the_number_of_workers() -> None:
    one = run_main("playtest", str(PROVE), "--runs", "300", "--seed", "7", "--json")
    two = run_main("playtest", str(PROVE), "--runs", "300", "--seed", "7", "--json", "--jobs", "2")
    assert two.status == one.status == 1
    assert json.loads(one.out) == json.loads(two.out)


def test_merging_is_independent_of_order() -> None:
    story = load_pack(PROVE)
    parts = [play_chunk(Engine(story), first, runs) for first, runs in chunks(1, 200)]
    assert merge(parts) == merge(list(reversed(parts)))


def test_coverage_endings_and_ranges_are_reported() -> None:
    data = json.loads(run_main("playtest", str(PROVE), "--runs", "500", "--json").out)
    assert data["scenes"] == {"total": 7, "reached": 6, "never": ["spring"]}
    assert data["choices"]["never"] == [{"scene": "cave", "index": 2, "where": data["choices"]["never"][0]["where"]}]
    one_way = {(c["scene"], c["condition"], c["seen"]) for c in data["conditions"]["one_way"]}
    assert one_way == {("cave", "not flags.lamp", "never true")}
    endings = {e["id"]: e for e in data["endings"]}
    assert endings["spring"]["runs"] == 0
    assert endings["far_shore"]["runs"] > 0 and endings["treasure"]["ranges"]["guide.trust"] == [2, 2]
    assert sum(e["runs"] for e in data["endings"]) + data["problems"][0]["count"] == 500


def _run_printed_command(command: str, tmp_path: Path) -> str:
    """Run a printed replay command in a shell, with this checkout's `zone` first on PATH."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "ZONE_SAVES": str(tmp_path / "saves"), "TERM": "dumb"}
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout[done.stdout.rindex("== "):]


def test_a_stuck_run_is_a_problem_whose_printed_command_replays_it(tmp_path: Path) -> None:
    result = run_main("playtest", str(PROVE), "--runs", "200", "--seed", "1")
    assert result.status == 1
    assert "soft lock at cave" in result.out and "no choice can be taken here" in result.out
    command = next(line.strip() for line in result.out.splitlines() if "| zone play" in line)
    # the pack as it was typed (here an absolute path), not made relative to the working folder
    assert re.fullmatch(rf"printf '(\d+\\n)+' \| zone play {re.escape(str(PROVE))} --seed \d+ --plain", command)
    last = _run_printed_command(command, tmp_path)
    assert last.startswith("== Walk: The cave ==")
    choices = [line for line in last.splitlines() if re.match(r"\s*\d\. ", line)]
    assert len(choices) == 3 and all("(unavailable)" in line for line in choices)


def test_replay_commands_number_choices_as_the_player_sees_them(tmp_path: Path) -> None:
    pack = tmp_path / "hidden"
    pack.mkdir()
    (pack / "story.yaml").write_text('id: h\ntitle: H\nversion: "1"\nstart: gate\nflags:\n  key: The key\n')
    (pack / "s.yaml").write_text(
        "gate:\n  title: Gate\n  text: g\n  choices:\n"
        "    - text: Use the key.\n      if: flags.key\n      hidden: true\n      goto: home\n"
        "    - text: Walk round.\n      goto: home\n    - text: Climb in.\n      goto: yard\n"
        "yard:\n  title: Yard\n  text: A yard.\n  choices:\n"
        "    - text: Unlock.\n      if: flags.key\n      goto: home\n"
        "home:\n  title: Home\n  text: h\n  ending: Home\n")
    data = json.loads(run_main("playtest", str(pack), "--runs", "20", "--json").out)
    (problem,) = data["problems"]
    assert problem["choices"] == [1]  # "Climb in." is the second choice shown: the hidden one is not shown
    assert _run_printed_command(problem["command"], tmp_path).startswith("== S: Yard ==")


def test_replay_files_for_every_problem(tmp_path: Path) -> None:
    result = run_main("playtest", str(PROVE), "--runs", "100", "--replays", str(tmp_path / "replays"))
    files = sorted((tmp_path / "replays").iterdir())
    assert [f.name for f in files] == ["stuck-cave.json"]
    assert f"zone replay {files[0]}" in result.out
    replay = run_main("replay", str(files[0]))
    assert replay.status == 0
    assert "== Walk: The cave ==" in replay.out.split("> ")[-1]
    assert replay.out.rstrip().endswith("-- stuck at cave: no choice can be taken here")


def test_a_run_that_never_ends_hits_the_loop_limit(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: loop\ntitle: Loop\nversion: "1"\nstart: a\n')
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - text: wait\n      goto: a\n"
        "    - text: leave\n      if: visits.a > 1000\n      goto: z\n"
        "z:\n  title: Z\n  text: z\n  ending: Z\n")
    data = json.loads(run_main("playtest", str(tmp_path), "--runs", "3", "--max-turns", "40", "--json").out)
    assert [(p["kind"], p["scene"], p["count"], len(p["choices"])) for p in data["problems"]] == [("loop", "a", 3, 40)]


def test_an_exception_in_a_run_is_a_problem_with_its_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    from zone.model import Choice
    from zone.state import GameState

    original = Engine.take

    def failing(self: Engine, sim: GameState, choice: Choice, outcome: int | None = None) -> GameState:
        if sim.scene == "cave":
            raise RuntimeError("boom")
        return original(self, sim, choice, outcome)

    monkeypatch.setattr(Engine, "take", failing)
    tally = play_chunk(Engine(load_pack(PROVE)), 1, 50)
    problem = tally["problems"]["error:cave"]
    assert problem["detail"].startswith("RuntimeError: boom")
    assert problem["choices"][-1] in (0, 1)


def test_no_progress_bar_in_piped_output() -> None:
    proc = run_process("playtest", "tests/packs/prove", "--runs", "300")
    assert "\x1b" not in proc.stdout and "\r" not in proc.stdout
    assert proc.stdout.startswith("Playtest of A Walk With a Known Map")


def test_a_progress_bar_on_a_terminal() -> None:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "zone", "playtest", "tests/packs/prove", "--runs", "60000"],
                          cwd=str(ROOT), env={**os.environ, "TERM": "xterm-256color"}, encoding="utf-8",
                          timeout=60, dimensions=(24, 100))
    child.expect("Playtest of A Walk")
    before = child.before
    child.expect(pexpect.EOF)
    assert "playtest" in before and "━" in before
