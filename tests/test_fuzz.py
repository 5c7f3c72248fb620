"""Random damage to a valid scene file only ever produces diagnostics, never another exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PACKS
from zone.pack import check_pack

ORIGINAL = (PACKS / "tiny" / "walk.yaml").read_bytes()

mutation = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "truncate"]),
    st.integers(min_value=0, max_value=len(ORIGINAL) - 1),
    st.integers(min_value=0, max_value=255),
)


def mutate(data: bytes, steps: list[tuple[str, int, int]]) -> bytes:
    buf = bytearray(data)
    for kind, pos, byte in steps:
        pos = min(pos, max(len(buf) - 1, 0))
        if kind == "flip" and buf:
            buf[pos] = byte
        elif kind == "insert":
            buf.insert(pos, byte)
        elif kind == "delete" and buf:
            del buf[pos]
        elif kind == "truncate":
            del buf[pos:]
    return bytes(buf)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=6))
def test_mutated_scene_file_gives_only_diagnostics(steps: list[tuple[str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp)
        shutil.copy(PACKS / "tiny" / "story.yaml", pack / "story.yaml")
        (pack / "walk.yaml").write_bytes(mutate(ORIGINAL, steps))
        story, diags = check_pack(pack)  # must not raise
        if story is None:
            assert any(d.is_error for d in diags)
        for d in diags:
            assert d.code.startswith("ZN") and d.message and "\n" not in d.message
