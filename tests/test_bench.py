"""The benchmark suite still runs (tiny sizes); timings are reported by `make bench`, never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.synthetic import write_pack
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
                     "choose + frame", "write a save", "save file size"):
        assert expected in figures
    assert "| figure" in proc.stdout
