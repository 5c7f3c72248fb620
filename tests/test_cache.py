"""The compile cache: used when the pack is unchanged, ignored and rebuilt when stale or damaged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import PACKS
from zone.cache import cache_key
from zone.engine import Engine
from zone.pack import check_pack
from zone.transcript import transcript


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(PACKS / "tiny", folder)
    return folder


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def test_second_load_comes_from_the_cache_and_plays_the_same(pack: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first, diags = check_pack(pack, cache)
    assert first is not None and len(entries(cache)) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("the pack was parsed again")

    monkeypatch.setattr("zone.source.parse_bytes", no_parsing)
    second, diags2 = check_pack(pack, cache)
    assert second is not None and diags2 == diags
    assert second is not first
    for seed in range(6):
        for choices in ([1], [0, 0]):
            assert transcript(Engine(second), seed, choices) == transcript(Engine(first), seed, choices)


def test_cached_entry_is_what_is_read(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    story, _ = check_pack(pack, cache)
    assert story is not None
    entry = entries(cache)[0]
    data = json.loads(entry.read_text())
    data["story"][1] = "A Title From The Cache"
    entry.write_text(json.dumps(data))
    again, _ = check_pack(pack, cache)
    assert again is not None and again.title == "A Title From The Cache"


def test_edited_pack_does_not_use_the_stale_entry(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check_pack(pack, cache)
    walk = pack / "walk.yaml"
    walk.write_text(walk.read_text().replace("Rust on the gate", "Moss on the gate"))
    story, _ = check_pack(pack, cache)
    assert story is not None
    assert "Moss on the gate" in Engine(story).frame(Engine(story).start(1)).text
    assert len(entries(cache)) == 2


@pytest.mark.parametrize("damage", [b"", b"{", b"[1, 2, 3]", b'{"format": 1}', b"\xff\xfe", b"null"])
def test_damaged_entry_is_ignored_and_rebuilt(pack: Path, tmp_path: Path, damage: bytes) -> None:
    cache = tmp_path / "cache"
    story, _ = check_pack(pack, cache)
    assert story is not None
    entry = entries(cache)[0]
    entry.write_bytes(damage)
    again, diags = check_pack(pack, cache)
    assert again is not None and not diags
    assert json.loads(entry.read_text())["format"] == 1  # rewritten whole


def test_entry_crafted_to_run_code_does_not(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    story, _ = check_pack(pack, cache)
    assert story is not None
    entry = cache / f"{cache_key(story.content_hash)}.json"
    data = json.loads(entry.read_text())
    marker = tmp_path / "pwned"
    # An effect that would write a file if it were ever evaluated by Python.
    data["scenes"][0][7][0][4] = [f"nuts = __import__('os').system('touch {marker}')"]
    entry.write_text(json.dumps(data))
    again, diags = check_pack(pack, cache)
    assert again is not None and not diags  # rebuilt from the YAML
    engine = Engine(again)
    engine.choose(engine.start(1), 0)
    assert not marker.exists()
    assert "__import__" not in entry.read_text()
