"""The save file format: header, checksum over everything, versions and the upgrade chain."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from zone.errors import CorruptSave, NewerSave
from zone.saves.body import read_body
from zone.saves.savefile import FORMAT_VERSION, MAX_BYTES, UPGRADES, Header, checksum, decode, encode, upgrade

GOLDEN = Path(__file__).resolve().parent / "golden_saves"
HEADER = Header("walk", "1.0", "ab" * 32, 1767225600.5, "Chapter \u00e9", "The gate", 3)
BODY: dict[str, Any] = {"seed": 1, "start_scene": None, "start_values": {}, "choices": [0, 1, 0],
                        "state": {"scene": "gate", "values": {}, "visits": {"gate": 2}, "turn": 3, "seed": 1,
                                  "stack": []},
                        "undo": [{"scene": "fork", "turn": 2}]}


def resign(doc: dict[str, Any]) -> bytes:
    """The document with a checksum made for its (changed) content."""
    header = {k: v for k, v in doc["header"].items() if k != "checksum"}
    doc["header"]["checksum"] = checksum(header, doc["body"])
    return json.dumps(doc).encode()


def test_encode_and_decode_round_trip() -> None:
    data = encode(HEADER, BODY)
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    data.decode("ascii")  # any text is escaped, so the file is plain UTF-8 whatever the pack's language
    saved = decode(data)
    assert saved.header == HEADER
    assert saved.body == read_body(BODY)
    assert saved.version == FORMAT_VERSION


def test_the_checksum_covers_the_header_too() -> None:
    doc = json.loads(encode(HEADER, BODY))
    doc["header"]["pack_version"] = "1.1"
    with pytest.raises(CorruptSave, match="checksum"):
        decode(json.dumps(doc).encode())


def test_the_checksum_covers_the_body() -> None:
    doc = json.loads(encode(HEADER, BODY))
    doc["body"]["choices"] = [0, 1, 1]
    with pytest.raises(CorruptSave, match="checksum"):
        decode(json.dumps(doc).encode())


def test_reformatting_the_json_is_not_damage() -> None:
    doc = json.loads(encode(HEADER, BODY))
    assert decode(json.dumps(doc, indent=2).encode()).body == read_body(BODY)


def test_a_newer_format_is_told_apart_from_a_damaged_file() -> None:
    doc = json.loads(encode(HEADER, BODY))
    doc["header"]["version"] = FORMAT_VERSION + 1
    with pytest.raises(NewerSave, match="made by a newer version of Zone"):
        decode(resign(doc))


@pytest.mark.parametrize("data", [b"", b"{", b"[]", b"{}", b"\xff", b"1e999999", b"[" * 50_000,
                                  b'{"header": {"format": "zone-save", "version": "2"}, "body": {}}',
                                  b'{"header": {"format": "zone-save", "version": 1}, "body": {}}',
                                  b'{"header": {"format": "other", "version": 2}, "body": {}}',
                                  b'{"pack": 1, "chapter": 2, "title": 3, "turn": 4, "saved_at": 5, "run": 6}'],
                         ids=lambda d: repr(d[:40]))
def test_anything_else_is_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptSave):
        decode(data)


def test_a_file_larger_than_the_limit_is_not_parsed() -> None:
    with pytest.raises(CorruptSave, match="larger than"):
        decode(b" " * (MAX_BYTES + 1))


def test_a_wrong_header_field_is_corrupt_even_with_a_good_checksum() -> None:
    doc = json.loads(encode(HEADER, BODY))
    doc["header"]["turn"] = "three"
    with pytest.raises(CorruptSave, match="'turn'"):
        decode(resign(doc))


# -- the upgrade chain ------------------------------------------------------------------------------

def test_every_older_version_has_an_upgrade_step() -> None:
    assert sorted(UPGRADES) == list(range(1, FORMAT_VERSION))


def test_upgrading_version_1_lifts_the_summary_into_a_header_and_keeps_the_run() -> None:
    v1 = json.loads((GOLDEN / "v1_walk.json").read_text(encoding="utf-8"))
    original = copy.deepcopy(v1)
    v2 = UPGRADES[1](v1)
    assert v1 == original  # the upgrade is pure: it does not change its input
    header = v2["header"]
    assert (header["version"], header["pack"], header["turn"], header["title"]) == (2, "saves_walk", 6, "The gate")
    assert header["pack_version"] is None and header["pack_hash"] is None  # unknown in version 1
    assert header["saved_at"].startswith("2026-01-01T00:00:00.25")
    assert v2["body"]["choices"] == v1["run"]["choices"] and v2["body"]["state"] == v1["run"]["state"]
    assert len(v2["body"]["undo"]) == len(v1["run"]["undo"])
    assert all("visits" not in p or len(p["visits"]) <= 2 for p in v2["body"]["undo"])  # patches, not states


def test_upgrading_version_2_drops_the_count_of_draws_and_adds_an_empty_stack() -> None:
    v2 = json.loads((GOLDEN / "v2_walk.json").read_text(encoding="utf-8"))
    original = copy.deepcopy(v2)
    v3 = UPGRADES[2](v2)
    assert v2 == original  # pure
    assert v2["body"]["state"]["draws"] > 0 or any("draws" in p for p in v2["body"]["undo"])
    assert v3["header"]["version"] == 3 and v3["header"]["pack"] == v2["header"]["pack"]
    state = v3["body"]["state"]
    assert state["stack"] == [] and "draws" not in state
    assert {k: v for k, v in state.items() if k != "stack"} == {
        k: v for k, v in v2["body"]["state"].items() if k != "draws"}
    assert all("draws" not in p for p in v3["body"]["undo"])
    assert len(v3["body"]["undo"]) == len(v2["body"]["undo"])
    assert read_body(v3["body"]).history[0]["stack"] == []  # the patches still expand to whole states
    assert upgrade(copy.deepcopy(v2), 2) == v3
    assert upgrade(json.loads((GOLDEN / "v1_walk.json").read_text(encoding="utf-8")), 1)["header"]["version"] == 3


def test_decoding_version_2_upgrades_it() -> None:
    saved = decode((GOLDEN / "v2_walk.json").read_bytes())
    assert saved.version == 2 and saved.body.state["stack"] == [] and "draws" not in saved.body.state


def test_decoding_version_1_upgrades_it() -> None:
    saved = decode((GOLDEN / "v1_walk.json").read_bytes())
    assert saved.version == 1
    assert (saved.header.pack, saved.header.turn, saved.header.pack_hash) == ("saves_walk", 6, None)
    assert saved.header.saved_at == 1767225600.25


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_cannot_hold_are_corrupt(constant: str) -> None:
    text = encode(HEADER, BODY).decode().replace('"seed":1,', f'"seed":{constant},', 1)
    with pytest.raises(CorruptSave):
        decode(text.encode())


def test_the_byte_formats_do_not_import_the_runtime_and_the_environment_not_the_cache() -> None:
    import subprocess
    import sys

    code = ("import sys, zone.saves.savefile, zone.saves.replayfile, zone.environment; "
            "print(' '.join(m for m in ('zone.run', 'zone.engine', 'zone.cache') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
