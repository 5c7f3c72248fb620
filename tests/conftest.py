"""Shared fixtures: example packs and a way to run the real `zone` program."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zone.cli import main
from zone.environment import Environment
from zone.model import Story
from zone.status import ExitStatus

ROOT = Path(__file__).resolve().parent.parent
PACKS = Path(__file__).resolve().parent / "packs"
BUNDLED = ROOT / "scenes"


@pytest.fixture
def tiny_pack() -> Path:
    return PACKS / "tiny"


class Result:
    def __init__(self, status: int, out: str, err: str) -> None:
        self.status = status
        self.out = out
        self.err = err


def run_main(*argv: str, stdin: str = "", env: dict[str, str] | None = None) -> Result:
    """Run `zone` in-process with captured streams."""
    out, err = io.StringIO(), io.StringIO()
    environment = Environment(stdin=io.StringIO(stdin), stdout=out, stderr=err,
                              vars={"TERM": "dumb", "ZONE_CACHE": "off", **(env or {})}, argv0="zone")
    status = main(list(argv), environment)
    return Result(int(status), out.getvalue(), err.getvalue())


def run_process(*argv: str, stdin: str = "", env: dict[str, str] | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real program in a child process (`python -m zone`)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "zone", *argv], input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=ROOT)


__all__ = ["BUNDLED", "PACKS", "ROOT", "ExitStatus", "Result", "run_main", "run_process"]


@pytest.fixture(params=["libyaml", "pure-python"])
def yaml_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test under both of PyYAML's readers: libyaml's and the pure-Python one."""
    import zone.source

    if request.param == "pure-python":
        monkeypatch.setattr(zone.source, "_PositionLoader", zone.source._PurePositionLoader)
    elif zone.source._CLoader is None:
        pytest.skip("libyaml is not installed")
    return str(request.param)


def write_pack(folder: Path, story: str, scenes: dict[str, str]) -> Path:
    """A pack in `folder` (made if need be): story.yaml and the scene files named in `scenes`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(story, encoding="utf-8")
    for name, text in scenes.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def built_and_cached(folder: Path, cache: Path) -> tuple[Story, Story]:
    """The pack at `folder` compiled from its files, and then rebuilt from the compile cache that wrote."""
    from zone.pack import check_pack

    built, _ = check_pack(folder, cache)
    cached, _ = check_pack(folder, cache)
    assert built is not None and cached is not None
    assert next(cache.iterdir(), None) is not None  # the second story really came from the cache
    return built, cached
