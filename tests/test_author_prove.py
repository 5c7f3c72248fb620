"""`zone prove`: a pack with a known state space gives exactly the known answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, PACKS, ROOT, run_main
from zone.author.prove import prove
from zone.author.routes import find_seed
from zone.engine import Engine
from zone.pack import check_pack, load_pack

PROVE = PACKS / "prove"


def test_the_known_state_space_is_counted_exactly() -> None:
    proof = prove(load_pack(PROVE))
    assert proof.complete and proof.states == 13


def test_the_known_soft_lock_is_found_with_its_shortest_route() -> None:
    proof = prove(load_pack(PROVE))
    assert [(f.scene, f.states, f.values) for f in proof.soft_locks] == [
        ("cave", 1, "guide.trust=1, flags.lamp=yes")]
    assert [s.number for s in proof.soft_locks[0].route.steps] == [1, 1, 2]


def test_the_known_unreachable_ending_dead_choice_and_scene() -> None:
    proof = prove(load_pack(PROVE))
    assert proof.unreachable_endings == {"spring"}
    assert proof.endings["spring"] is None
    assert proof.never_enabled == (("cave", 2),)
    assert proof.unreached == ("spring",)
    assert proof.traps == ()


def test_the_known_shortest_routes_to_each_ending() -> None:
    endings = prove(load_pack(PROVE)).endings
    routes = {e: (None if r is None else [(s.number, s.branch, s.target) for s in r.steps]) for e, r in endings.items()}
    assert routes == {
        "far_shore": [(1, None, "trail"), (1, None, "trail"), (3, 0, "far_shore")],
        "fell": [(1, None, "trail"), (1, None, "trail"), (3, 1, "river")],
        "treasure": [(1, None, "trail"), (1, None, "trail"), (1, None, "trail"), (2, None, "cave"),
                     (1, None, "treasure")],
        "spring": None,
    }


def test_each_route_replays_in_the_engine_with_its_seed() -> None:
    story = load_pack(PROVE)
    engine = Engine(story)
    proof = prove(story)
    for eid, route in proof.endings.items():
        if route is None:
            continue
        assert route.seed is not None
        state = engine.start(route.seed)
        for index in route.choices:
            state = engine.choose(state, index)
        assert story.scenes[state.scene].ending is not None and story.scenes[state.scene].ending.id == eid


def test_find_seed_makes_every_random_step_fall_the_required_way() -> None:
    from zone.state import GameState

    engine = Engine(load_pack(PACKS / "tiny"))
    throw = engine.options(engine.start(0))[1][0]
    outcomes = throw.choice.outcomes
    seed = find_seed([(outcomes, 1, "gate", 1), (outcomes, 0, "gate", 2), (outcomes, 1, "gate", 3)])
    assert seed is not None
    for visit, branch in enumerate((1, 0, 1), start=1):
        assert engine.drawn(GameState("gate", {}, {"gate": visit}, 0, seed, ()), throw.choice) == branch
    # one scene on one visit has one roll: two outcomes of it that disagree have no seed
    assert find_seed([(outcomes, 1, "gate", 1), (outcomes, 0, "gate", 1)]) is None


def test_a_loop_with_no_way_out_is_an_endless_loop(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text('id: loop\ntitle: Loop\nversion: "1"\nstart: a\n')
    (tmp_path / "s.yaml").write_text(
        "a:\n  title: A\n  text: a\n  choices:\n    - text: in\n      goto: b\n    - text: out\n      goto: z\n"
        "b:\n  title: B\n  text: b\n  choices:\n    - text: round\n      goto: c\n"
        "c:\n  title: C\n  text: c\n  choices:\n    - text: and round\n      goto: b\n"
        "z:\n  title: Z\n  text: z\n  ending: Z\n")
    proof = prove(load_pack(tmp_path))
    assert [(f.scene, [s.number for s in f.route.steps], f.loop) for f in proof.traps] == [("b", [1], ("b", "c"))]
    assert not proof.sound
    assert "    goes round: b, c\n" in run_main("prove", str(tmp_path)).out


def test_a_bound_too_small_says_what_was_covered_and_still_proves_what_it_can() -> None:
    proof = prove(load_pack(PROVE), max_states=4)
    assert not proof.complete and proof.states == 4 and proof.radius == 1
    assert proof.unreachable_endings == {"spring"}  # proved by the envelope
    assert proof.unreached == ("spring",)
    assert [f.scene for f in proof.soft_locks] == ["cave"]  # found by the search beyond the bound
    assert all(proof.endings[e] is not None for e in ("far_shore", "fell", "treasure"))


def test_the_command_prints_the_findings_and_fails_on_a_soft_lock() -> None:
    result = run_main("prove", str(PROVE))
    assert result.status == 1
    assert "every reachable state explored: 13 distinct states" in result.out
    assert "Endings (3 of 4 reachable)" in result.out
    assert "spring: UNREACHABLE" in result.out
    assert re.search(r"cave \(.*walk\.yaml:37:3\) in 1 distinct state; there: guide.trust=1, flags.lamp=yes",
                     result.out)
    assert f"printf '1\\n1\\n2\\n' | zone play {PROVE} --seed 0 --plain" in result.out  # the pack as typed


def test_the_command_says_when_the_bound_was_reached() -> None:
    result = run_main("prove", str(PROVE), "--max-states", "4")
    assert "larger than --max-states 4: 4 distinct states explored, every one within 1 choices" in result.out


def test_json_for_tools() -> None:
    data = json.loads(run_main("prove", str(PROVE), "--json").out)
    assert data["states"] == 13 and data["complete"] is True
    assert data["endings"]["treasure"]["choices"] == [1, 1, 1, 2, 1]
    assert data["soft_locks"][0]["scene"] == "cave"
    assert data["never_enabled"] == [{"scene": "cave", "choice": 3, "where": data["never_enabled"][0]["where"],
                                      "condition": "not flags.lamp"}]


def _bundled_ok() -> bool:
    story, diags = check_pack(BUNDLED)
    return story is not None and not any(d.is_error for d in diags)


@pytest.mark.skipif(not _bundled_ok(), reason="the bundled pack does not pass 'zone check' yet")
def test_the_bundled_pack_has_every_ending_reachable_and_no_soft_lock() -> None:
    proof = prove(load_pack(BUNDLED))
    assert {e for e, r in proof.endings.items() if r is None} == set()
    assert proof.soft_locks == () and proof.possible_locks == {} and proof.traps == ()


def test_a_printed_replay_command_runs_where_zone_is_not_on_the_path(tmp_path: Path) -> None:
    """Installed by `make play` or `make test`, Zone is `.venv/bin/zone`: a replay line saying `zone play`
    would fail in the shell it was printed to. It names the program as it was run."""
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "ZONE_CACHE": "off", "ZONE_SAVES": str(tmp_path / "saves"), "TERM": "dumb",
           "PYTHONPATH": str(ROOT)}
    proved = subprocess.run([sys.executable, "-m", "zone", "prove", str(PROVE)], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=120)
    line = next(line.strip() for line in proved.stdout.splitlines() if "replay: printf '1\\n1\\n2\\n'" in line)
    command = line.removeprefix("replay: ")
    assert "| zone play" not in command and "-m zone play" in command
    played = subprocess.run(["sh", "-c", command], capture_output=True, text=True, cwd=tmp_path, env=env,
                            timeout=120)
    assert played.returncode == 0, played.stderr
    assert "*** The end" in played.stdout or "== " in played.stdout
