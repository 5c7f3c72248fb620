"""The benchmark suite still runs (tiny sizes); timings are reported by `make bench`, never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.synthetic import FEATURE_BLOCK, write_feature_pack, write_pack
from tests.conftest import ROOT
from zone.pack import check_pack


def test_synthetic_packs_are_sound(tmp_path: Path) -> None:
    story, diags = check_pack(write_pack(tmp_path / "p", 120, per_file=50))
    assert story is not None and diags == []
    assert len(story.scenes) == 120
    assert len(list(tmp_path.joinpath("p").glob("part*.yaml"))) == 3


def test_quick_benchmark_prints_every_figure_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads(out.read_text())["rows"]
    figures = " | ".join(r["figure"] for r in rows)
    for expected in ("zone --version", "zone play --plain", "zone check", "cached load", "peak memory",
                     "choose + frame", "write a save", "save file size", "feature pack"):
        assert expected in figures
    assert "| figure" in proc.stdout


def test_the_feature_pack_is_sound_and_uses_every_feature_of_the_language(tmp_path: Path) -> None:
    story, diags = check_pack(write_feature_pack(tmp_path / "f", 4))
    assert story is not None and diags == []
    assert len(story.scenes) == 4 * FEATURE_BLOCK + 1
    choices = [c for scene in story.scenes.values() for c in scene.choices]
    sources = " ".join(t.text.source for s in story.scenes.values() for t in s.passages)
    assert all(word in sources for word in ("{if ", "{seq:", "{cycle:", "{shuffle:", "{plural ", "{once:", "{mood}"))
    assert any(s.members for s in story.stats.values())  # an enumeration
    assert any(e.op == "if" for c in choices for e in c.effects)  # a conditional effect
    assert any(c.auto and c.goto for c in choices) and any(c.auto and c.branches for c in choices)
    assert any(c.auto and c.outcomes for c in choices)  # a random next
    assert any(not c.auto and c.branches for c in choices) and any(not c.auto and c.outcomes for c in choices)
    assert any(c.call is not None and c.call.after is None for c in choices)
    assert any(c.call is not None and c.call.after is not None for c in choices)
    assert any(c.returns and c.auto for c in choices) and any(c.returns and not c.auto for c in choices)
    assert any(c.once for c in choices) and any(c.fallback for c in choices)
