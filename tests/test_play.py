"""`zone play`: its options, and the piped mode run as a real program."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import BUNDLED, PACKS, ROOT, Result, run_main, run_process
from zone.pack import check_pack

WALK = PACKS / "tui" / "walk"
TO_THE_ROOM = "1\n" * 13


def play(tmp_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> Result:
    return run_main("play", str(WALK), "--saves", str(tmp_path / "saves"), *args, stdin=stdin, env=env)


# -- piped mode, as a real program ----------------------------------------------------------------
def test_a_piped_run_reaches_an_ending_with_no_escape_byte_and_exits_0(tmp_path: Path) -> None:
    for extra in ([], ["--plain"]):
        proc = run_process("play", str(WALK), "--seed", "3", "--saves", str(tmp_path / "saves"), *extra,
                           stdin=TO_THE_ROOM + ":status\n:journal\n:quit\n")
        assert proc.returncode == 0, proc.stderr
        assert "\x1b" not in proc.stdout and proc.stderr == ""
        assert "*** The end: Into the Room ***" in proc.stdout
        assert "The Professor\n  Resolve: 5 of 10" in proc.stdout
        assert "[bold] at the top of a page, [/] at the bottom, and [link=x] in" in proc.stdout


def test_printf_into_zone_play_plain(tmp_path: Path) -> None:
    proc = subprocess.run(f"printf '1\\n2\\n' | {sys.executable} -m zone play {WALK} --plain --saves "
                          f"{tmp_path / 'saves'}", shell=True, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0 and "\x1b" not in proc.stdout
    assert "You chose: Dress quietly." in proc.stdout and "You chose: Leave the bag where it hangs." in proc.stdout
    hint = proc.stdout.rstrip().splitlines()[-1]
    assert hint.startswith("The run is saved: '") and hint.endswith(" --continue' goes on from here.")
    assert f" -m zone play {WALK} --saves " in hint  # the pack as typed, and the folder it was saved in
    command = shlex.split(hint.split("'")[1])  # and the command it names works
    again = subprocess.run(command, input=":quit\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert again.returncode == 0, again.stderr
    assert "Going on where you left off." in again.stdout and "Rain on the cobbles" in again.stdout


KITCHEN = ("You wake before the alarm. The old manual on the shelf still has its printer's marks in it: [bold] at "
           "the top of a page, [/] at the bottom, and [link=x] in the margin where someone meant to add a reference.")


def test_piped_plain_text_is_one_line_to_a_paragraph(tmp_path: Path) -> None:
    proc = run_process("play", str(WALK), "--plain", "--saves", str(tmp_path / "saves"), stdin="1\n")
    assert proc.returncode == 0, proc.stderr
    assert f"\n{KITCHEN}\n\nThe water in the glass trembles when a train goes by.\n" in proc.stdout


def test_width_wraps_plain_text_at_that_many_columns(tmp_path: Path) -> None:
    result = play(tmp_path, "--plain", "--width", "40", stdin="1\n")
    assert result.status == 0
    story = result.out.split("\n> ")[0].splitlines()  # the first scene, up to the prompt
    assert max(len(line) for line in story) == 40
    assert "You wake before the alarm. The old\nmanual on the shelf still has its\n" in result.out
    assert " ".join(" ".join(story).split()).count(KITCHEN) == 1  # every word kept, in order
    assert play(tmp_path, "--plain", "--width", "0", stdin="1\n").out == play(tmp_path, "--plain", stdin="1\n").out


def test_a_width_under_20_is_refused_with_status_2(tmp_path: Path) -> None:
    for width, why in [("19", "the width is 0 (no wrapping) or at least 20 columns"),
                       ("-3", "the width is 0 (no wrapping) or at least 20 columns"),
                       ("wide", "'wide' is not a whole number")]:
        result = play(tmp_path, "--plain", "--width", width, stdin="1\n")
        assert result.status == 2 and result.out == ""
        assert result.err.count("\n") == 1 and why in result.err


def test_reading_from_dev_null_exits_at_once(tmp_path: Path) -> None:
    with open(os.devnull) as devnull:
        proc = subprocess.run([sys.executable, "-m", "zone", "play", str(WALK), "--saves", str(tmp_path / "saves")],
                              stdin=devnull, capture_output=True, text=True, cwd=ROOT, timeout=2)
    assert proc.returncode == 0 and proc.stderr == ""
    assert "Dress quietly." in proc.stdout
    assert not (tmp_path / "saves").exists()  # nothing was chosen, nothing is saved


def test_force_color_keeps_rich_on_a_pipe_unless_plain(tmp_path: Path) -> None:
    coloured = run_process("play", str(WALK), "--saves", str(tmp_path / "saves"), stdin="1\n",
                           env={"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "80"})
    assert coloured.returncode == 0 and "\x1b[" in coloured.stdout and "Dress quietly." in coloured.stdout
    plain = run_process("play", str(WALK), "--plain", "--saves", str(tmp_path / "saves"), stdin="1\n",
                        env={"FORCE_COLOR": "1"})
    assert plain.returncode == 0 and "\x1b" not in plain.stdout


# -- options ----------------------------------------------------------------------------------------
def test_saves_default_to_zone_saves(tmp_path: Path) -> None:
    result = run_main("play", str(WALK), stdin="1\n", env={"ZONE_SAVES": str(tmp_path / "elsewhere")})
    assert result.status == 0
    assert any((tmp_path / "elsewhere").glob("*.json"))
    assert not (tmp_path / "elsewhere" / "records.zone.json").exists()  # no ending reached, nothing recorded


def test_continue_goes_on_with_the_last_run(tmp_path: Path) -> None:
    play(tmp_path, "--seed", "3", stdin="1\n1\n")
    result = play(tmp_path, "--continue", stdin="1\n")
    assert result.status == 0, result.err
    assert result.out.startswith("Going on where you left off.\n")
    assert "== Before dawn: The street ==" in result.out and "You chose: Go into the bar." in result.out


def test_continue_with_nothing_saved_is_one_line(tmp_path: Path) -> None:
    result = play(tmp_path, "--continue")
    assert result.status == 1
    assert result.err.count("\n") == 1
    assert "there is no saved run of 'The Long Way Round' in " in result.err and "to continue" in result.err


def test_continue_cannot_be_mixed_with_a_new_start(tmp_path: Path) -> None:
    result = play(tmp_path, "--continue", "--from", "meadow")
    assert result.status == 2 and "--continue goes on with a saved run" in result.err


def test_from_and_set_start_anywhere_with_given_values(tmp_path: Path) -> None:
    result = play(tmp_path, "--from", "threshold", "--set", "stalker.faith=2", "--set", "professor.knapsack=true",
                  "--set", "nuts=0", stdin=":status\n1\n")
    assert result.status == 0, result.err
    assert result.out.startswith("\n== The end of the way: The threshold ==")
    assert "  Faith: 2 of 10" in result.out and "  Knapsack: yes" in result.out and "  Nuts: 0" in result.out
    assert "(unavailable) Step inside. -- You no longer believe enough to go in." in result.out


def test_restart_after_from_starts_there_again(tmp_path: Path) -> None:
    result = play(tmp_path, "--from", "dunes", stdin="1\n:restart\n")
    assert result.out.count("== Inside: The room of sand ==") == 2


def test_start_errors_are_one_line_with_a_hint(tmp_path: Path) -> None:
    cases = {
        ("--from", "medow"): "zone: --from: there is no scene 'medow' in this pack (did you mean 'meadow'?)\n",
        ("--set", "writer.trst=3"): "zone: --set: there is no stat, flag or item 'writer.trst' in this pack "
                                    "(did you mean 'writer.trust'?)\n",
        ("--set", "writer.trust=11"): "zone: --set: writer.trust = 11 is outside its range [0, 10]\n",
        ("--set", "writer.trust=lots"): "zone: --set: writer.trust is a whole number, not 'lots'\n",
        ("--set", "writer.bottle=maybe"): "zone: --set: writer.bottle is true or false, not 'maybe'\n",
    }
    for args, message in cases.items():
        result = play(tmp_path, *args)
        assert (result.status, result.err) == (2, message)
    bad = play(tmp_path, "--set", "trust")
    assert bad.status == 2 and "'trust' is not NAME=VALUE (for example writer.trust=7)" in bad.err


def test_a_save_folder_that_is_a_file_does_not_stop_the_game(tmp_path: Path) -> None:
    (tmp_path / "saves").write_text("not a folder")
    result = play(tmp_path, stdin="1\n1\n")
    assert result.status == 0
    assert result.out.count("Autosave failed:") == 1 and "Traceback" not in result.out + result.err


def test_zone_with_no_arguments_plays_the_bundled_game(tmp_path: Path) -> None:
    result = run_main(stdin="", env={"ZONE_SAVES": str(tmp_path / "saves")})
    story, diagnostics = check_pack(BUNDLED)
    if story is None or any(d.is_error for d in diagnostics):
        assert result.status == 1 and result.err.count("\n") == 1 and result.err.startswith("zone: ")
    else:
        assert result.status == 0 and result.out.startswith("\n== ")


def test_transcript_json_records_a_run_that_zone_replay_plays_back(tmp_path: Path) -> None:
    from tests.conftest import PACKS, run_main

    record = tmp_path / "run.json"
    played = run_main("play", str(PACKS / "tiny"), "--plain", "--seed", "1", "--saves", str(tmp_path / "s"),
                      stdin=f"1\n:transcript {record}\n")
    assert played.status == 0, played.err
    assert f"'zone replay {record}' plays it back" in played.out
    replayed = run_main("replay", str(record))
    assert replayed.status == 0, replayed.err
    assert "Take the left path." in replayed.out and "The fork" in replayed.out
