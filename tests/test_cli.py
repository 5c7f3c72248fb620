"""The `zone` command line: version, help, exit statuses, check output, plain play."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.conftest import PACKS, run_main, run_process
from zone import __version__
from zone.cli import main
from zone.environment import Environment


def test_version() -> None:
    result = run_main("--version")
    assert result.status == 0


def test_python_dash_m_zone_prints_version_and_help() -> None:
    proc = run_process("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"zone {__version__}"
    proc = run_process("--help")
    assert proc.returncode == 0
    assert "check" in proc.stdout and "play" in proc.stdout
    assert "exit status" in proc.stdout


def test_unknown_command_suggests_the_nearest() -> None:
    result = run_main("chek")
    assert result.status == 2
    assert result.err.strip() == "zone: unknown command 'chek' (did you mean 'check'?); see 'zone --help'"


def test_bad_option_is_one_line_with_status_2() -> None:
    result = run_main("check", "--nope")
    assert result.status == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "unrecognized arguments: --nope" in result.err


def test_check_a_sound_pack() -> None:
    result = run_main("check", str(PACKS / "tiny"))
    assert result.status == 0
    assert result.out.strip().endswith("0 errors, 0 warnings (4 scenes, 2 endings)")


def test_check_json_for_tools(tmp_path: object) -> None:
    result = run_main("check", str(PACKS / "tiny"), "--json")
    data = json.loads(result.out)
    assert data == {"errors": 0, "warnings": 0, "diagnostics": []}


def test_check_a_missing_folder_and_a_folder_without_story(tmp_path: object) -> None:
    result = run_main("check", "/no/such/pack")
    assert result.status == 1
    assert "error ZN001" in result.out
    result = run_main("check", str(PACKS))
    assert result.status == 1
    assert "error ZN027" in result.out


def test_play_with_errors_lists_them_and_exits_1(tmp_path: object) -> None:
    from pathlib import Path

    pack = Path(str(tmp_path))
    (pack / "story.yaml").write_text('id: p\ntitle: P\nversion: "1"\nstart: a\n')
    (pack / "a.yaml").write_text("a:\n  title: A\n  text: x\n  choices:\n    - text: go\n      goto: b\n")
    result = run_main("play", str(pack), "--plain")
    assert result.status == 1
    assert "a.yaml:6:13: error ZN012: unknown scene 'b'" in result.err
    assert "Traceback" not in result.err


def test_bad_seed_is_a_usage_error() -> None:
    result = run_main("play", str(PACKS / "tiny"), "--seed", "soon")
    assert result.status == 2
    assert "'soon' is not a whole number" in result.err


def test_an_internal_error_is_one_line_without_a_traceback(tmp_path: object) -> None:
    # A command module that fails in an unexpected way stands in for a bug.
    code = ("import sys, zone.commands.check as c\n"
            "def boom(args, env): raise KeyError('scene')\n"
            "c.run = boom\n"
            "sys.argv = ['zone', 'check']\n"
            "from zone.cli import run\nrun()\n")
    import subprocess
    import sys

    from tests.conftest import ROOT

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 70
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "zone: internal error (KeyError: 'scene'); this is a bug in Zone: run again with ZONE_DEBUG=1 to see where"]


def test_help_and_version_go_to_the_environment_not_to_sys(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["check", "--help"], ["--version"]):
        result = run_main(*argv)
        assert result.status == 0
        assert result.out.startswith("usage: zone") or result.out == f"zone {__version__}\n"
        assert result.err == ""
    assert "play" in run_main("--help").out and "--json" in run_main("check", "--help").out
    assert capsys.readouterr() == ("", "")


def test_argument_errors_go_to_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["check", "--nope"], ["graph", "--format", "gif"], ["play", "--seed"], ["chek"]):
        result = run_main(*argv)
        assert result.status == 2, argv
        assert result.out == "" and len(result.err.strip().splitlines()) == 1, argv
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(("argv", "message"), [
    (("--set", "nosuch=1"), "zone: --set: there is no stat, flag or item 'nosuch' in this pack\n"),
    (("--set", "guide.fath=1"), "zone: --set: there is no stat, flag or item 'guide.fath' in this pack "
                                "(did you mean 'guide.faith'?)\n"),
    (("--from", "nosuch"), "zone: --from: there is no scene 'nosuch' in this pack\n"),
    (("--from", "frok"), "zone: --from: there is no scene 'frok' in this pack (did you mean 'fork'?)\n"),
    (("--continue", "--seed", "3"), "zone: --continue goes on with a saved run; it cannot be combined with "
                                    "--from, --set or --seed\n"),
])
def test_arguments_the_pack_refuses_are_bad_arguments(argv: tuple[str, ...], message: str) -> None:
    result = run_main("play", str(PACKS / "tiny"), "--plain", *argv)
    assert (result.status, result.out, result.err) == (2, "", message)


def test_an_error_a_person_can_fix_is_status_1(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("")
    assert run_main("new", str(tmp_path / "taken")).status == 1
    assert run_main("replay", str(tmp_path / "nosuch.json")).status == 1
    assert run_main("saves", "delete", "nosuch", "--saves", str(tmp_path)).status == 1


def test_playtest_replays_that_cannot_be_written_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    pack = str(PACKS / "prove")
    result = run_main("playtest", pack, "--runs", "50", "--replays", str(tmp_path / "file"))
    assert (result.status, result.err) == (1, f"zone: --replays: {tmp_path / 'file'} is not a folder\n")
    result = run_main("playtest", pack, "--runs", "50", "--replays", str(tmp_path / "file" / "sub"))
    assert result.status == 1 and result.err.startswith("zone: --replays: cannot write ")
    assert len(result.err.splitlines()) == 1


def test_an_items_name_is_what_the_tools_show_and_survives_the_cache(tmp_path: Path) -> None:
    import shutil

    from zone.pack import check_pack

    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "tiny", pack)
    story_file = pack / "story.yaml"
    story_file.write_text(story_file.read_text().replace("nuts: {default: 2", "nuts: {name: Steel nuts, default: 2"))
    for _ in range(2):  # compiled, then from the cache
        story, _ = check_pack(pack, tmp_path / "cache")
        assert story is not None and story.stats["nuts"].label == "Steel nuts"
        assert story.stats["nuts"].shown == "Steel nuts" and story.stats["guide.faith"].shown == "guide.faith"
    result = run_main("playtest", str(pack), "--runs", "50", env={"ZONE_CACHE": str(tmp_path / "cache")})
    assert "guide.tired no, Steel nuts 1" in result.out and ", nuts " not in result.out


def test_a_refused_pack_names_the_check_command_for_that_pack(tmp_path: Path) -> None:
    pack = tmp_path / "my pack"
    pack.mkdir()
    (pack / "story.yaml").write_text("")
    result = run_main("play", str(pack), "--plain")
    assert result.status == 1
    assert result.err.splitlines()[-1] == f"zone: the pack has 2 errors; to list them all: zone check '{pack}'"
    from zone.cli import _check_command
    from zone.errors import PackError
    from zone.pack import bundled_pack

    env = Environment(vars={}, argv0="zone")
    assert _check_command(env, PackError([], bundled_pack())) == "zone check"


def test_hints_name_the_program_as_it_was_started(tmp_path: Path) -> None:
    out = io.StringIO()
    env = Environment(stdin=io.StringIO(""), stdout=out, stderr=io.StringIO(), vars={"PATH": ""}, cwd=tmp_path,
                      argv0=".venv/bin/zone")
    assert main(["new", "p"], env) == 0
    assert out.getvalue().splitlines()[-2] == "Next: .venv/bin/zone check p, then .venv/bin/zone play p"
    assert out.getvalue().splitlines()[-1] == ("The authors' guide: .venv/bin/zone docs "
                                               "(and .venv/bin/zone docs tools for the tools)")
