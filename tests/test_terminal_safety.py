"""Nothing a pack, a save or a replay file says reaches the terminal as a command.

Every command's output goes through one sanitiser (`zone._text.clean`, installed
by the `Environment`); these tests hand each command hostile text (CSI 6n, which
makes a terminal type an answer back, an OSC title, a C1 CSI, bidi overrides and
isolates, NUL, a bell, a lone surrogate) and look at every byte it writes.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_main
from zone._text import clean, one_line
from zone.engine import Engine
from zone.environment import Environment
from zone.pack import load_pack
from zone.run import Run
from zone.saves.slots import SaveStore

# In YAML's double-quoted style: ESC [ 6 n, an OSC title, C1 CSI, RLO, LRI, PDI, NUL, BEL.
HOSTILE_YAML = r"\e[6n\e]0;owned\a\x9b31m\u202E\u2066\u2069\0\a"
# Anything of this kind in the output is a failure: C0 but tab and newline, DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def sound_pack(folder: Path) -> Path:
    folder.mkdir()
    (folder / "story.yaml").write_text(
        f'id: evil\ntitle: "Evil {HOSTILE_YAML} Walk"\nversion: "1"\nstart: gate\n'
        f'chapters:\n  walk: "Chapter {HOSTILE_YAML}"\n'
        'items:\n  nuts: {name: "Nuts' + HOSTILE_YAML + '", default: 1, range: [0, 3], about: Nuts}\n')
    (folder / "walk.yaml").write_text(
        f'gate:\n  title: "The gate {HOSTILE_YAML}"\n  text: "Rain {HOSTILE_YAML} on the gate, {{nuts}} nuts."\n'
        f'  choices:\n    - text: "Go {HOSTILE_YAML} on"\n      goto: home\n'
        f'    - text: "Throw {HOSTILE_YAML}"\n      if: nuts > 5\n'
        f'      reason: "Not {HOSTILE_YAML} enough"\n      goto: home\n'
        f'home:\n  title: "Home {HOSTILE_YAML}"\n  text: "Home."\n  ending: "Back {HOSTILE_YAML}"\n')
    return folder


def broken_pack(folder: Path) -> Path:
    """Diagnostics that quote a key, a goto target, a choice's text and a file name."""
    folder.mkdir()
    (folder / "story.yaml").write_text(f'id: evil\ntitle: "Evil {HOSTILE_YAML}"\nversion: "1"\nstart: gate\n')
    (folder / "walk.yaml").write_text(
        f'gate:\n  title: Gate\n  text: x\n  "bad{HOSTILE_YAML}key": 1\n  choices:\n'
        f'    - text: "Go {HOSTILE_YAML}"\n      goto: "ho{HOSTILE_YAML}me"\n'
        f'"ga{HOSTILE_YAML}te":\n  title: Gate\n  text: x\n  ending: x\n')
    (folder / "side\x1b[6n\u202e.yaml").write_text("a: [unclosed\n")
    return folder


def assert_safe(text: str, what: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, f"{what} wrote {found.group()!r}: {text!r}"


def assert_run_safe(*argv: str, stdin: str = "", **kwargs: str) -> tuple[int, str, str]:
    result = run_main(*argv, stdin=stdin, env=kwargs or None)
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert_safe(result.out, f"zone {' '.join(argv)} (stdout)")
    assert_safe(result.err, f"zone {' '.join(argv)} (stderr)")
    return result.status, result.out, result.err


def test_clean_removes_every_kind_of_terminal_control() -> None:
    hostile = "a\x1b[6nb\x9b31mc\u202ed\u2066e\u2069f\x00g\x07h\rі\ud800j\u200ek\tl\nm"
    assert clean(hostile) == "a[6nb31mcdefghіjk l\nm"
    assert clean("plain text, kept as it is\n") == "plain text, kept as it is\n"
    assert clean("नमस्ते \u200d👩\u200d🌾 café") == "नमस्ते \u200d👩\u200d🌾 café"
    assert one_line("two\nlines\x1b[2J\n") == "two lines[2J"


def test_the_environment_cleans_what_commands_write_but_keeps_the_raw_stream_for_the_game_screen() -> None:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, vars={})
    print("title \x1b[6n\u202e", file=env.stdout)
    env.stderr.write("x\x9by\n")
    env.error("a\nb\x00")
    assert out.getvalue() == "title [6n\n" and err.getvalue() == "xy\nzone: a b\n"
    assert env.terminal is out


def test_check_play_and_the_authoring_tools_on_a_hostile_pack(tmp_path: Path) -> None:
    pack = str(sound_pack(tmp_path / "evil"))
    saves = str(tmp_path / "saves")
    for argv in (("check", pack), ("check", pack, "--strict"), ("stats", pack), ("prove", pack),
                 ("playtest", pack, "--runs", "5", "--replays", str(tmp_path / "replays")),
                 ("graph", pack), ("graph", pack, "--format", "mermaid")):
        status, out, _ = assert_run_safe(*argv)
        assert status == 0 or argv[0] == "check", argv
        assert "Evil [6n]0;owned31m Walk" in out or argv[0] in ("check", "graph"), argv
    status, out, _ = assert_run_safe("check", pack)
    assert "choice 'Throw [6n]0;owned31m' can never be taken" in out
    status, out, _ = assert_run_safe("play", pack, "--plain", "--saves", saves, stdin=":status\n1\n")
    assert status == 0 and "The gate [6n]0;owned31m" in out


def test_check_json_stays_valid_json_with_the_hostile_text_escaped(tmp_path: Path) -> None:
    status, out, _ = assert_run_safe("check", str(broken_pack(tmp_path / "evil")), "--json")
    data = json.loads(out)
    assert status == 1 and data["errors"] >= 3
    assert any("\x1b[6n" in d["message"] or "\x1b[6n" in d["file"] for d in data["diagnostics"])


def test_diagnostics_of_check_and_of_a_refused_play_are_clean_one_liners(tmp_path: Path) -> None:
    pack = str(broken_pack(tmp_path / "evil"))
    status, out, _ = assert_run_safe("check", pack)
    assert status == 1
    assert "'ho[6n]0;owned31mme' is not a valid goto" in out and "unknown key 'bad[6n]0;owned31mkey'" in out
    assert "/side[6n.yaml:2:1: error ZN004" in out
    lines = out.splitlines()
    assert all(re.match(r"\S+:\d+:\d+: (error|warning) ZN\d{3}: ", line) for line in lines[:-1]), lines
    status, _, err = assert_run_safe("play", pack, "--plain")
    assert status == 1 and "'ho[6n]0;owned31mme' is not a valid goto" in err


def test_saves_lists_hostile_chapter_and_scene_titles_cleanly(tmp_path: Path) -> None:
    story = load_pack(sound_pack(tmp_path / "evil"))
    SaveStore(tmp_path / "saves", story).save("one", Run.new(Engine(story), 3))
    status, out, _ = assert_run_safe("saves", "--saves", str(tmp_path / "saves"))
    assert status == 0 and "Chapter [6n]0;owned31m" in out


def test_a_line_break_in_a_title_keeps_the_saves_table_one_row_per_slot() -> None:
    from zone.commands.saves import _table
    from zone.saves.slots import SlotInfo

    rows = _table([SlotInfo("one", "p", "Two\nlines", "A\r\nB", 3, 0.0)])
    assert len(rows) == 2 and "Two lines" in rows[1] and "A B" in rows[1]


def test_replay_of_a_hostile_file_prints_nothing_that_drives_the_terminal(tmp_path: Path) -> None:
    pack = sound_pack(tmp_path / "evil")
    replay = {"pack": "evil", "choices": [0], "seed": 1,
              "note": "stuck \x1b[6n\x9b\u202e\u2066\x00\x07\ud800 here\nforged line"}
    (tmp_path / "r.json").write_text(json.dumps(replay))
    status, out, err = assert_run_safe("replay", str(tmp_path / "r.json"), "--pack", str(pack))
    assert status == 0 and out.endswith("\n-- stuck [6n here forged line\n")
    (tmp_path / "bad.json").write_text(json.dumps({"choices": [], "scene": "no\x1b[6nwhere\u202e"}))
    status, _, err = assert_run_safe("replay", str(tmp_path / "bad.json"), "--pack", str(pack))
    assert status == 1 and len(err.splitlines()) == 1


@pytest.mark.parametrize("field", ["pack", "pack_id"])
def test_replay_errors_quoting_the_file_are_clean(tmp_path: Path, field: str) -> None:
    pack = sound_pack(tmp_path / "evil")
    (tmp_path / "r.json").write_text(json.dumps({field: "x\x1b[6n\u202e\x00y", "choices": []}))
    argv = ["replay", str(tmp_path / "r.json")] + (["--pack", str(pack)] if field == "pack_id" else [])
    status, _, err = assert_run_safe(*argv)
    assert status == 1 and "x[6ny" in err
