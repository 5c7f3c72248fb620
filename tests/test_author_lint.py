"""`zone check` on broken packs: each fixture gets exactly its diagnostic, at its line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PACKS, run_main
from zone.author.lint import lint, possible_values, usage
from zone.pack import load_pack

BROKEN = PACKS / "broken"

# fixture -> (code, severity, file, line, col, words the message must contain)
EXPECTED = {
    "missing_target": ("ZN012", "error", "walk.yaml", 8, 13, "unknown scene 'yrd' (did you mean 'yard'?)"),
    "unreachable_scene": ("ZN019", "warning", "walk.yaml", 8, 3, "scene 'shed' cannot be reached"),
    "soft_lock": ("ZN033", "error", "walk.yaml", 11, 3, "scene 'yard' can be reached with every choice disabled "
                                                       "(after choices 2)"),
    "impossible_choice": ("ZN030", "warning", "walk.yaml", 6, 7, "'guide.faith >= 5' is false for every value"),
    "unused_stat": ("ZN031", "warning", "story.yaml", 7, 3, "'flags.spare' is declared but never used"),
    "changed_never_read": ("ZN032", "warning", "story.yaml", 6, 3, "'flags.rang' is changed but never read"),
    "bad_interpolation": ("ZN022", "error", "walk.yaml", 5, 15, "unknown name '{nut}' (did you mean 'nuts'?)"),
    "unreachable_ending": ("ZN034", "warning", "walk.yaml", 24, 11, "ending 'secret' can never be reached"),
    "unknown_key": ("ZN011", "error", "walk.yaml", 7, 7, "unknown key 'hiden' in a choice (did you mean 'hidden'?)"),
    "wrong_kind": ("ZN010", "error", "walk.yaml", 4, 12, "choices must be a list"),
    "missing_key": ("ZN014", "error", "walk.yaml", 2, 3, "scene 'gate' needs 'text'"),
    "goto_and_random": ("ZN025", "error", "walk.yaml", 5, 7, "exactly one of 'goto' and 'random'"),
    "bad_id": ("ZN023", "error", "walk.yaml", 11, 1, "'Old-Shed' is not a valid scene id"),
    "version_number": ("ZN010", "error", "story.yaml", 3, 10, "version must be text"),
}


def test_every_broken_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_gets_its_code_at_its_place(name: str) -> None:
    code, severity, file, line, col, words = EXPECTED[name]
    result = run_main("check", str(BROKEN / name), "--json")
    data = json.loads(result.out)
    assert len(data["diagnostics"]) == 1, result.out
    found = data["diagnostics"][0]
    assert (found["code"], found["severity"], Path(found["file"]).name, found["line"], found["col"]) == (
        code, severity, file, line, col)
    assert words in found["message"]
    assert result.status == (1 if severity == "error" else 0)


def test_text_output_names_file_line_and_column() -> None:
    result = run_main("check", str(BROKEN / "soft_lock"))
    assert result.status == 1
    assert "soft_lock/walk.yaml:11:3: error ZN033: soft lock: scene 'yard'" in result.out
    assert result.out.strip().endswith("1 error, 0 warnings (3 scenes, 1 ending)")


def test_strict_turns_warnings_into_a_failing_exit_status() -> None:
    assert run_main("check", str(BROKEN / "unused_stat")).status == 0
    assert run_main("check", str(BROKEN / "unused_stat"), "--strict").status == 1
    assert run_main("check", str(PACKS / "tiny"), "--strict").status == 0


def test_the_soft_lock_route_in_the_message_really_locks() -> None:
    story = load_pack(BROKEN / "soft_lock")
    from zone.engine import Engine

    engine = Engine(story)
    state = engine.choose(engine.start(0), 1)  # "after choices 2"
    assert state.scene == "yard"
    assert not any(enabled for _, enabled in engine.options(state))


def test_usage_counts_text_and_other_effects_as_reads_but_not_an_effect_on_itself() -> None:
    story = load_pack(PACKS / "prove")
    reads, writes = usage(story)
    assert "guide.trust" in reads and "flags.lamp" in reads
    assert writes == {"guide.trust", "flags.lamp"}


def test_possible_values_follow_the_effects_that_exist_and_the_ranges() -> None:
    story = load_pack(BROKEN / "impossible_choice")
    assert possible_values(story)["guide.faith"] == frozenset({1, 2, 3})


def test_a_sound_pack_has_no_meaning_problems() -> None:
    assert lint(load_pack(PACKS / "tiny")) == []


def test_a_stuck_state_found_past_the_bound_is_still_reported(tmp_path: Path) -> None:
    # A long counter in front of the lock pushes it past a tiny exploration bound.
    (tmp_path / "story.yaml").write_text('id: far\ntitle: Far\nversion: "1"\nstart: walk\n'
                                         "items:\n  steps: {default: 0, range: [0, 50], about: Steps taken}\n"
                                         "flags:\n  key: You have the key\n")
    (tmp_path / "walk.yaml").write_text(
        "walk:\n  title: Walk\n  text: Step {steps}.\n  choices:\n"
        "    - text: Step on.\n      if: steps < 50\n      do: steps += 1\n      goto: walk\n"
        "    - text: Pick up the key.\n      do: flags.key = true\n      goto: door\n"
        "    - text: Go to the door.\n      if: steps >= 50\n      goto: door\n"
        "door:\n  title: Door\n  text: A door.\n  choices:\n"
        "    - text: Unlock it.\n      if: flags.key\n      goto: out\n"
        "out:\n  title: Out\n  text: Out.\n  ending: Out\n")
    codes = [d.code for d in lint(load_pack(tmp_path), max_states=10)]
    assert codes == ["ZN033"]


def test_a_very_large_pack_is_not_explored_by_check_and_says_so(tmp_path: Path) -> None:
    from bench.synthetic import write_pack

    pack = write_pack(tmp_path / "big", 2_100)
    result = run_main("check", str(pack))
    assert result.status == 0, result.out
    assert result.out.strip().splitlines()[-1] == (
        "Soft locks, endless loops and unreachable endings were not explored in a pack this large: "
        "run 'zone prove' for them.")


def test_an_endless_loop_found_by_prove_is_reported_by_check_at_its_scene(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: loop\ntitle: Loop\nversion: "1"\nstart: a\n')
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - text: in\n      goto: b\n    - text: out\n      goto: z\n"
        "b:\n  title: B\n  text: b\n  choices:\n    - text: round\n      goto: c\n"
        "c:\n  title: C\n  text: c\n  choices:\n    - text: and round\n      goto: b\n"
        "z:\n  title: Z\n  text: z\n  ending: Z\n")
    assert run_main("prove", str(tmp_path)).status == 1
    result = run_main("check", str(tmp_path))
    assert result.status == 1
    assert (f"{tmp_path / 's.yaml'}:10:3: error ZN044: endless loop: from scene 'b' the player can only go round "
            "'b', 'c'; no ending can be reached from there (after choices 1)") in result.out
    data = json.loads(run_main("check", str(tmp_path), "--json").out)
    assert [(d["code"], d["severity"], d["line"], d["col"]) for d in data["diagnostics"]] == [("ZN044", "error", 10, 3)]


MAZE = "saves/maze"  # forty rooms and no ending, on purpose: it measures saves after a long run
SOUND = sorted(str(p.parent.relative_to(PACKS)) for p in PACKS.rglob("story.yaml")
               if BROKEN not in p.parents and p.parent != PACKS / MAZE)


@pytest.mark.parametrize("pack", SOUND)
def test_packs_meant_to_be_sound_have_no_endless_loop(pack: str) -> None:
    assert "ZN044" not in {d.code for d in lint(load_pack(PACKS / pack))}


def test_a_pack_with_no_ending_is_one_endless_loop_and_the_message_stays_short() -> None:
    [found] = [d for d in lint(load_pack(PACKS / MAZE)) if d.code == "ZN044"]
    assert found.message == ("endless loop: from scene 'room_0' the player can only go round 'room_0', 'room_1', "
                             "'room_23', 'room_34', 'room_16', 'room_26' and 34 more scenes; no ending can be "
                             "reached from there (at the start)")


def test_the_bundled_game_has_no_endless_loop() -> None:
    assert "ZN044" not in {d.code for d in lint(load_pack(PACKS.parent.parent / "scenes"))}
