"""The language server's state: the packs being worked on, when each is checked again,
and what is published of it; the handlers of each request are in `handlers`.

Each pack is checked again a moment after the typing stops (`DEBOUNCE`), with the
open buffers in place of their files; the meaning checks of `zone check` (soft
locks, unused values, ...) run when a file is opened or saved. Their findings stay
on each file until it is edited (or the pack has errors, when `zone check` does not
run them). A request is answered from a check of the buffers as they are at that
moment; completion, which must be quick, from the latest check and the line being
typed. Nothing an author writes can stop the server:
a check that fails in an unforeseen way is logged as a bug in Zone, and the
server goes on.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from zone import __version__
from zone.diagnostics import Diagnostic
from zone.lsp.packview import FileText, PackView, Spot, build, lines_of, pack_of

__all__ = ["DEBOUNCE", "ZoneServer", "create", "path_of", "serve"]

DEBOUNCE = 0.25  # seconds of quiet after an edit before the pack is checked again (initializationOptions.debounce)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|\'(?:[^\']|\'\')*\'?|[^\s,:\[\]{}#]+')


class _Checked:
    """What is known of one pack: its latest view, the texts it was built from, and the
    meaning checks' findings with the text each file had when they were made."""

    def __init__(self) -> None:
        self.view: PackView | None = None
        self.texts: dict[Path, str] = {}
        self.meaning: dict[Path, tuple[str, list[Diagnostic]]] = {}
        self.published: set[Path] = set()
        self.task: asyncio.Task[None] | None = None
        self.wants_meaning = False


class ZoneServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("zone", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.packs: dict[Path, _Checked] = {}
        self.debounce = DEBOUNCE

    # -- documents and packs ---------------------------------------------------------------------
    def open_texts(self, pack: Path) -> dict[Path, str]:
        """The unsaved text of every open file of the pack."""
        return {path: doc.source for path, doc in self.open_documents(pack).items()}

    def open_documents(self, pack: Path) -> dict[Path, TextDocument]:
        out = {}
        for uri, doc in list(self.workspace.text_documents.items()):
            path = path_of(uri)
            if path is not None and path.parent == pack:
                out[path] = doc
        return out

    def uri_of(self, path: Path) -> str:
        for open_uri in self.workspace.text_documents:
            if path_of(open_uri) == path:
                return str(open_uri)
        uri = from_fs_path(str(path))
        return str(uri) if uri else path.as_uri()

    def view_now(self, uri: str, *, fresh: bool = True) -> tuple[PackView, Path] | None:
        """A view of the pack of `uri` that matches its buffers as they are now (or, unless `fresh`
        is asked for, the latest one: scene ids and values change seldom, and a large pack takes a
        while to check)."""
        path = path_of(uri)
        pack = pack_of(path) if path is not None else None
        if pack is None or path is None:
            return None
        checked = self.packs.setdefault(pack, _Checked())
        texts = self.open_texts(pack)
        if checked.view is None or (fresh and checked.texts != texts):
            checked.view, checked.texts = build(pack, texts), texts
        return checked.view, path

    def schedule(self, uri: str, *, meaning: bool, delay: float) -> None:
        """Check the pack of `uri` again after `delay` seconds of quiet; a later edit starts the wait again."""
        path = path_of(uri)
        pack = pack_of(path) if path is not None else None
        if pack is None:
            return
        checked = self.packs.setdefault(pack, _Checked())
        checked.wants_meaning = checked.wants_meaning or meaning
        if checked.task is not None:
            checked.task.cancel()
        checked.task = asyncio.get_running_loop().create_task(self.recheck(pack, checked, delay))

    async def recheck(self, pack: Path, checked: _Checked, delay: float) -> None:
        await asyncio.sleep(delay)
        docs = self.open_documents(pack)
        meaning, texts = checked.wants_meaning, {path: doc.source for path, doc in docs.items()}
        versions = {path: doc.version for path, doc in docs.items()}
        try:
            view = await asyncio.to_thread(build, pack, texts, meaning=meaning)
            checked.wants_meaning = False
            checked.view, checked.texts = view, texts
            if meaning:
                checked.meaning = {p: (view.files[p].text, found) for p, found in view.meaning.items()}
            self.publish(checked, view, versions)
        except Exception as exc:  # noqa: BLE001 - a bug in Zone must not stop the server
            self.bug(exc)

    def publish(self, checked: _Checked, view: PackView, versions: dict[Path, int | None]) -> None:
        now: dict[Path, list[Diagnostic]] = {path: list(found) for path, found in view.diagnostics.items()}
        errors = any(d.is_error for found in now.values() for d in found)
        for path, (was, found) in checked.meaning.items():  # as in zone check: only on a pack without errors
            if not errors and path in view.files and view.files[path].text == was:
                now.setdefault(path, []).extend(found)
        for path in set(now) | checked.published | set(versions):
            text = view.files.get(path)
            shown = sorted(now.get(path, []), key=lambda d: (d.pos.line, d.pos.col, d.code))
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=self.uri_of(path), version=versions.get(path),
                diagnostics=[self.diagnostic(d, text) for d in shown]))
        checked.published = {path for path, found in now.items() if found}

    def bug(self, exc: Exception) -> None:
        self.window_log_message(types.LogMessageParams(
            type=types.MessageType.Error,
            message=f"zone: internal error ({type(exc).__name__}: {exc}); this is a bug in Zone"))

    # -- positions -------------------------------------------------------------------------------
    def client_range(self, text: FileText | list[str] | None, line: int, col: int, length: int) -> types.Range:
        lines = text.lines if isinstance(text, FileText) else text or []
        start = types.Position(line=line, character=col)
        end = types.Position(line=line, character=col + length)
        if not lines:
            return types.Range(start=start, end=end)
        codec = self.workspace.position_codec
        return types.Range(start=codec.position_to_client_units(lines, start),
                           end=codec.position_to_client_units(lines, end))

    def lines(self, uri: str, view: PackView, path: Path) -> list[str]:
        """The lines of a file as the editor has them now."""
        doc = self.workspace.text_documents.get(uri)
        if doc is not None:
            return lines_of(doc.source)
        text = view.files.get(path)
        return text.lines if text is not None else []

    def server_position(self, lines: list[str], position: types.Position) -> tuple[int, int]:
        at = self.workspace.position_codec.position_from_client_units(lines, position)
        return at.line, at.character

    def diagnostic(self, d: Diagnostic, text: FileText | None) -> types.Diagnostic:
        line, col = max(d.pos.line - 1, 0), max(d.pos.col - 1, 0)
        length = 0
        if text is not None and d.pos.line > 0 and line < len(text.lines):
            token = _TOKEN.match(text.lines[line], col)
            length = len(token.group()) if token else int(col < len(text.lines[line]))
        return types.Diagnostic(
            range=self.client_range(text, line, col, length), message=d.message, code=d.code, source="zone",
            severity=types.DiagnosticSeverity.Error if d.is_error else types.DiagnosticSeverity.Warning)

    def location(self, view: PackView, spot: Spot) -> types.Location:
        return types.Location(uri=self.uri_of(spot.path),
                              range=self.client_range(view.files.get(spot.path), spot.line, spot.col, spot.length))


def path_of(uri: str) -> Path | None:
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


def create() -> ZoneServer:
    """The server with every feature registered."""
    from zone.lsp.handlers import register

    server = ZoneServer()
    register(server)
    return server


def serve() -> None:
    """Talk to an editor over stdin and stdout until it says to stop (or Ctrl-C, exit status 130)."""
    signal.signal(signal.SIGINT, _interrupted)
    create().start_io()


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C. The thread that reads stdin cannot be stopped while it waits for a line, and pygls
    would wait for it before returning: the process ends here (it holds nothing to save)."""
    print("zone: interrupted", file=sys.stderr, flush=True)
    os._exit(130)
