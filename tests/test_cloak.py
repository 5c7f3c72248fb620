"""Cloak of Darkness, the standard demonstration game, ported from the authors' guide alone (tests/packs/cloak)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PACKS, run_main
from zone.author.prove import prove
from zone.pack import load_pack

CLOAK = PACKS / "cloak"


def test_it_checks_clean_without_hidden_duplicates_or_copied_scenes() -> None:
    result = run_main("check", str(CLOAK))
    assert result.status == 0 and "0 errors, 0 warnings" in result.out
    story = load_pack(CLOAK)
    assert not any(c.hidden for s in story.scenes.values() for c in s.choices)
    narrations = [p.text.source for s in story.scenes.values() for p in s.passages]
    assert len(narrations) == len(set(narrations))


def test_prove_reaches_both_endings() -> None:
    proof = prove(load_pack(CLOAK))
    assert proof.complete
    assert proof.endings["won"] is not None and proof.endings["lost"] is not None
    assert not proof.soft_locks and proof.unreached == () and proof.never_enabled == ()


def test_piped_plays_reach_the_win_and_the_loss(tmp_path: Path) -> None:
    won = run_main("play", str(CLOAK), "--plain", "--saves", str(tmp_path / "a"), stdin="2\n1\n3\n1\n1\n")
    assert won.status == 0 and "*** The end: You have won ***" in won.out
    lost = run_main("play", str(CLOAK), "--plain", "--saves", str(tmp_path / "b"),
                    stdin="1\n2\n2\n1\n2\n1\n3\n1\n1\n")
    assert lost.status == 0 and "*** The end: You have lost ***" in lost.out
    assert "though boots have scuffed the letters" in lost.out


def test_the_north_doors_turn_the_player_back_without_a_click(tmp_path: Path) -> None:
    played = run_main("play", str(CLOAK), "--plain", "--saves", str(tmp_path / "s"), stdin="3\n")
    after = played.out.split("You chose: Go back out to the north.", 1)[1]
    assert after.lstrip().startswith("== Opera: The foyer ==")
    assert "think better of it, and close them again.\n\nA hall of faded splendour" in after  # a pipe: not wrapped
