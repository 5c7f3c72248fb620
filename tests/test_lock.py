"""requirements.txt pins every release that `make play` and `make test` install."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

LOCK = ROOT / "requirements.txt"


def locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for number, line in enumerate(LOCK.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line.strip())
        assert match, f"requirements.txt:{number}: not an exact pin: {line!r}"
        name = canonicalize_name(match[1])
        assert name not in pins, f"requirements.txt:{number}: {match[1]} is pinned twice"
        pins[name] = Version(match[2])
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    return [Requirement(r) for r in [*project["dependencies"], *(r for group in extras.values() for r in group)]]


def test_every_dependency_and_extra_is_pinned_within_its_range() -> None:
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.txt (run 'make lock')"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"requirements.txt pins {requirement.name}=={pins[name]}, outside pyproject's '{requirement}'"


def test_the_installers_own_tools_are_pinned_too() -> None:
    assert {"pip", "setuptools", "wheel"} <= set(locked())


def test_what_the_dependencies_need_is_pinned_too() -> None:
    pins = locked()
    if any(_installed(r.name) != pins[canonicalize_name(r.name)] for r in declared()):
        pytest.skip("not running against the lock (make test-latest)")
    todo = [r.name for r in declared()]
    seen: set[str] = set()
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        assert name in pins, f"{name} is installed for Zone but not pinned in requirements.txt (run 'make lock')"
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)


def _installed(name: str) -> Version | None:
    try:
        return Version(metadata.version(name))
    except metadata.PackageNotFoundError:
        return None


def test_the_makefile_installs_through_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    play_and_test = makefile.split("\ntest-latest:")[0]
    installs = [line for line in play_and_test.splitlines() if " install " in line and not line.startswith("#")]
    assert len(installs) >= 3
    assert all("-c $(LOCK)" in line for line in installs), installs
    assert "\nlock:" in makefile and "\ntest-latest:" in makefile
