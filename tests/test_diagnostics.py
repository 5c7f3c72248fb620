"""The catalogue of codes and the guides that explain them say the same."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from zone.diagnostics import CATALOGUE, Severity

TABLE_ROW = re.compile(r"^\| (ZN\d{3}) \| (.*)$", re.M)


def documented() -> dict[str, str]:
    rows: dict[str, str] = {}
    for guide in ("authoring.md", "tools.md"):
        rows.update(TABLE_ROW.findall((ROOT / "docs" / guide).read_text(encoding="utf-8")))
    return rows


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    assert sorted(documented()) == sorted(CATALOGUE)


def test_the_guides_say_which_codes_are_warnings() -> None:
    for code, row in documented().items():
        assert row.startswith("warning") == (CATALOGUE[code][0] is Severity.WARNING), code
