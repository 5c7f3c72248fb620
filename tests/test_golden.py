"""Golden playthroughs: a pack, a seed and choices give exactly the expected transcript.

Each is replayed twice: straight, and with the state passed through JSON after
every step (as a save and a resume would). Set ZONE_UPDATE_GOLDEN=1 to rewrite
the expected transcripts after a deliberate change, then read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT
from zone.engine import Engine
from zone.pack import load_pack
from zone.state import GameState
from zone.transcript import transcript

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "run.json").is_file())


def _play(case: str, *, through_json: bool) -> str:
    spec = json.loads((GOLDEN / case / "run.json").read_text())
    story = load_pack(ROOT / spec["pack"])
    engine = Engine(story)

    def roundtrip(state: GameState) -> GameState:
        return GameState.from_dict(json.loads(json.dumps(state.to_dict(story))), story)

    return transcript(engine, spec["seed"], spec["choices"], scene=spec.get("scene"), values=spec.get("values"),
                      through=roundtrip if through_json else None)


@pytest.mark.parametrize("case", CASES)
def test_golden_transcript(case: str) -> None:
    expected_file = GOLDEN / case / "transcript.txt"
    got = _play(case, through_json=False)
    if os.environ.get("ZONE_UPDATE_GOLDEN"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_golden_transcript_survives_json_round_trips(case: str) -> None:
    assert _play(case, through_json=True) == (GOLDEN / case / "transcript.txt").read_text(encoding="utf-8")
