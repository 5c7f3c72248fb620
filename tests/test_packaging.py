"""`pip install .` then `zone` from any folder: the bundled scenes travel inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the checkout's sources, so no build folder left in the checkout can leak in."""
    import shutil

    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "zone"
    leftovers = shutil.ignore_patterns(".git", ".venv*", "build", "*.egg-info", "__pycache__", ".*_cache")

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = {"saves", "bench", "tests"} if Path(folder) == ROOT else set()
        return set(leftovers(folder, names)) | (top & set(names))

    shutil.copytree(ROOT, source, ignore=ignore)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed: {proc.stderr[-2000:]}")
    wheels = list(out.glob("zone-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_carries_the_bundled_scenes(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    scene_files = sorted(Path(n).name for n in names if n.startswith("zone/scenes/") and n.endswith(".yaml"))
    assert scene_files == sorted(p.name for p in (ROOT / "scenes").glob("*.yaml"))
    assert "zone/py.typed" in names
    modules = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "zone").rglob("*.py"))
    assert sorted(n for n in names if n.startswith("zone/") and n.endswith(".py")) == modules
    assert not any(n.startswith(("tests/", "saves/")) for n in names)
    guides = sorted(Path(n).name for n in names if n.startswith("zone/docs/") and n.endswith(".md"))
    assert guides == sorted(p.name for p in (ROOT / "docs").glob("*.md"))  # for `zone docs`


def test_the_wheel_names_where_the_project_lives(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    urls = {line.split(": ", 1)[1].split(",", 1)[0] for line in metadata.splitlines()
            if line.startswith("Project-URL: ")}
    assert urls == {"Homepage", "Documentation", "Source", "Issues"}


def test_installed_zone_has_its_guides_and_shows_its_paths_whole(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "v"  # a folder whose path, made relative, reads as if it were cut short
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target), "ZONE_CACHE": "off"}
    docs = subprocess.run([sys.executable, "-m", "zone", "docs", "tools"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert docs.returncode == 0 and docs.stdout == (ROOT / "docs" / "tools.md").read_text(encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "zone", "playtest", "--runs", "1"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr
    shown = [line for line in proc.stdout.splitlines() if "never reached:" in line]
    assert shown and all(f"({target}/zone/scenes/" in line for line in shown)


def test_installed_zone_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("ZONE_SAVES", None)
    proc = subprocess.run([sys.executable, "-m", "zone", "check"], cwd=elsewhere, env=env, capture_output=True,
                          text=True, timeout=120)
    assert "Traceback" not in proc.stderr
    assert str(target) in proc.stdout or "scenes" in proc.stdout
    code = "from zone.environment import Environment; print(Environment().default_saves())"
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    saves = Path(proc.stdout.strip())
    assert saves == tmp_path / "data" / "zone" / "saves"
    assert not saves.is_relative_to(target)
