"""The compile cache: used when the pack is unchanged, ignored and rebuilt when stale, damaged or tampered with."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PACKS, run_main
from zone.cache import _fingerprint, _sources, cache_key, write_entry
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


def entry_of(cache: Path) -> tuple[Path, str, dict[str, Any]]:
    """The one entry in `cache`: its file, its key and its JSON."""
    [entry] = entries(cache)
    header, _, body = entry.read_bytes().partition(b"\n")
    assert header.startswith(b"zone-cache 2 ")
    return entry, entry.stem, json.loads(body)


def test_an_entry_signed_by_the_cache_is_what_is_read(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check_pack(pack, cache)
    _, key, data = entry_of(cache)
    data["story"][1] = "A Title From The Cache"
    write_entry(cache, key, data)
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


def test_the_key_covers_every_module_of_the_package(tmp_path: Path) -> None:
    package = Path(__file__).resolve().parent.parent / "zone"
    copy = tmp_path / "zone"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "scenes"))
    names = {name for name, _ in _sources(copy)}
    assert {"_reading.py", "cache.py", "compiler.py", "expr.py", "tui/render.py", "author/lint.py"} <= names
    assert names == {str(p.relative_to(package)) for p in package.rglob("*.py")}
    before = _fingerprint(copy)
    assert _fingerprint(copy) == before
    reading = copy / "_reading.py"
    reading.write_text(reading.read_text() + "\n# a change\n")
    assert _fingerprint(copy) != before


@pytest.mark.parametrize("damage", [b"", b"{", b"[1, 2, 3]", b'{"format": 1}', b"\xff\xfe", b"null",
                                    b"zone-cache 2 0000\n{}", b"zone-cache 2\n" + b"[" * 100_000])
def test_damaged_entry_is_ignored_and_rebuilt(pack: Path, tmp_path: Path, damage: bytes) -> None:
    cache = tmp_path / "cache"
    story, _ = check_pack(pack, cache)
    assert story is not None
    entry, _, original = entry_of(cache)
    entry.write_bytes(damage)
    again, diags = check_pack(pack, cache)
    assert again is not None and not diags and again.title == story.title
    assert entry_of(cache)[2] == original  # rewritten whole


def _title_a_list(data: dict[str, Any]) -> None:
    data["scenes"][0][1] = ["x"]


def _edit_a_choice(data: dict[str, Any]) -> None:
    data["scenes"][0][7][0][0] = ["Take the cached path.", data["scenes"][0][7][0][0][-1]]


def _plant_an_error(data: dict[str, Any]) -> None:
    data["diagnostics"].append(["ZN012", "unknown scene 'nowhere'", ["walk.yaml", 1, 1]])


def _plant_a_warning_with_an_unknown_code(data: dict[str, Any]) -> None:
    data["diagnostics"].append(["ZN999", "planted", ["walk.yaml", 1, 1]])


def _characters_not_a_list(data: dict[str, Any]) -> None:
    data["characters"][0][3] = "guide.faith"


def _character_stat_that_does_not_exist(data: dict[str, Any]) -> None:
    data["characters"][0][3].append("guide.ghost")


def _goto_nowhere(data: dict[str, Any]) -> None:
    data["scenes"][0][7][0][5] = "nowhere"


def _default_out_of_range(data: dict[str, Any]) -> None:
    data["stats"][0][4] = 99


def _hidden_as_text(data: dict[str, Any]) -> None:
    data["scenes"][0][7][0][3] = "yes"


def _position_in_another_file(data: dict[str, Any]) -> None:
    data["scenes"][0][4] = ["../../etc/passwd", 1, 1]


def _ending_with_choices(data: dict[str, Any]) -> None:
    fall = next(s for s in data["scenes"] if s[8] is not None)
    fall[7] = data["scenes"][0][7]


def _start_missing(data: dict[str, Any]) -> None:
    data["story"][4] = "nowhere"


TAMPERINGS = [_title_a_list, _edit_a_choice, _plant_an_error, _plant_a_warning_with_an_unknown_code,
              _characters_not_a_list, _character_stat_that_does_not_exist, _goto_nowhere, _default_out_of_range,
              _hidden_as_text, _position_in_another_file, _ending_with_choices, _start_missing]


def _play_and_check(pack: Path, cache: Path) -> tuple[str, str]:
    """A new run in a saves folder of its own (so no earlier run is kept as 'previous'), then a check."""
    saves = cache.parent / f"saves-{len(list(cache.parent.glob('saves-*')))}"
    played = run_main("play", str(pack), "--plain", "--seed", "1", stdin=":status\n1\n",
                      env={"ZONE_CACHE": str(cache), "ZONE_SAVES": str(saves)})
    checked = run_main("check", str(pack), env={"ZONE_CACHE": str(cache)})
    assert (played.status, checked.status) == (0, 0), played.err + checked.out
    return played.out, checked.out


# A well-formed edit with a valid checksum is indistinguishable from the cache's own entry: only unsigned.
CASES = [(t, False) for t in TAMPERINGS] + [(t, True) for t in TAMPERINGS if t is not _edit_a_choice]


@pytest.mark.parametrize(("tamper", "signed"), CASES,
                         ids=[f"{t.__name__}-{'signed' if s else 'by-hand'}" for t, s in CASES])
def test_a_tampered_entry_is_rebuilt_never_trusted(pack: Path, tmp_path: Path,
                                                   tamper: Callable[[dict[str, Any]], None], signed: bool) -> None:
    """Edited by hand, an entry fails its checksum; signed again (by a tool that knows the format), it fails
    the check of its types and shapes. Either way the story is rebuilt from the pack, and plays as before."""
    cache = tmp_path / "cache"
    expected = _play_and_check(pack, cache)
    entry, key, data = entry_of(cache)
    tamper(data)
    if signed:
        write_entry(cache, key, data)
    else:
        entry.write_bytes(entry.read_bytes().partition(b"\n")[0] + b"\n" + json.dumps(data).encode())
    assert _play_and_check(pack, cache) == expected
    assert entry_of(cache)[2] != data  # rebuilt from the source
    assert _play_and_check(pack, cache) == expected


def test_an_entry_under_another_packs_name_is_not_used(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check_pack(pack, cache)
    entry, key, _ = entry_of(cache)
    other = pack.parent / "other"
    shutil.copytree(pack, other)
    walk = other / "walk.yaml"
    walk.write_text(walk.read_text().replace("Rust on the gate", "Moss on the gate"))
    story, _ = check_pack(other, cache)
    assert story is not None
    other_entry = cache / f"{cache_key(story.content_hash)}.json"
    other_entry.write_bytes(entry.read_bytes())  # the first pack's entry, under the second's name
    again, _ = check_pack(other, cache)
    assert again is not None and "Moss on the gate" in Engine(again).frame(Engine(again).start(1)).text


def test_entry_crafted_to_run_code_does_not(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check_pack(pack, cache)
    entry, key, data = entry_of(cache)
    marker = tmp_path / "pwned"
    # An effect that would write a file if it were ever evaluated by Python.
    data["scenes"][0][7][0][4] = [f"nuts = __import__('os').system('touch {marker}')"]
    write_entry(cache, key, data)
    again, diags = check_pack(pack, cache)
    assert again is not None and not diags  # rebuilt from the YAML
    engine = Engine(again)
    engine.choose(engine.start(1), 0)
    assert not marker.exists()
    assert "__import__" not in entry.read_text()


def test_without_a_home_folder_there_is_no_cache_rather_than_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from zone.environment import cache_folder

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache_folder({}) is None
    assert cache_folder({"XDG_CACHE_HOME": "/somewhere"}) == Path("/somewhere/zone/packs")
