"""Only regular files are read, and none of them blocks: a FIFO named like a scene file is refused at once."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from zone._files import MAX_BYTES, read_bytes

fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def read_in_thread(path: Path) -> tuple[bytes | None, list[str]]:
    """read_bytes in a thread, so that a read which blocks fails the test instead of hanging it."""
    found: list[tuple[bytes | None, list[str]]] = []

    def read() -> None:
        data, diags = read_bytes(path, path.name)
        found.append((data, [d.format() for d in diags]))

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(30)
    assert found, f"reading {path.name} blocked"
    return found[0]


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"a: 1\n")
    assert read_in_thread(tmp_path / "a.yaml") == (b"a: 1\n", [])


@fifo_only
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "b.yaml")
    assert read_in_thread(tmp_path / "b.yaml") == (None, ["b.yaml: error ZN001: cannot read file: not a regular "
                                                          "file (a FIFO)"])


def test_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").mkdir()
    assert read_in_thread(tmp_path / "c.yaml") == (None, ["c.yaml: error ZN001: cannot read file: not a regular "
                                                          "file (a folder)"])


def test_a_missing_file_and_an_oversized_one(tmp_path: Path) -> None:
    assert read_in_thread(tmp_path / "gone.yaml")[1] == ["gone.yaml: error ZN001: cannot read file: No such file "
                                                         "or directory"]
    with open(tmp_path / "big.yaml", "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    assert read_in_thread(tmp_path / "big.yaml") == (None, [f"big.yaml:1:1: error ZN002: file is {MAX_BYTES + 1} "
                                                            f"bytes; the limit is {MAX_BYTES}"])
