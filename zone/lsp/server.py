"""The language server: the protocol (through pygls) around `packview` and `answers`.

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
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from zone import __version__
from zone.diagnostics import Diagnostic
from zone.lsp import answers
from zone.lsp.packview import FileText, PackView, Spot, build, lines_of, pack_of

__all__ = ["DEBOUNCE", "ZoneServer", "create", "serve"]

DEBOUNCE = 0.25  # seconds of quiet after an edit before the pack is checked again (initializationOptions.debounce)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|\'(?:[^\']|\'\')*\'?|[^\s,:\[\]{}#]+')
_KINDS = {"scene": types.CompletionItemKind.Module, "value": types.CompletionItemKind.Variable,
          "member": types.CompletionItemKind.EnumMember, "name": types.CompletionItemKind.Keyword}
T = TypeVar("T")


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
            path = _path(uri)
            if path is not None and path.parent == pack:
                out[path] = doc
        return out

    def uri_of(self, path: Path) -> str:
        for open_uri in self.workspace.text_documents:
            if _path(open_uri) == path:
                return str(open_uri)
        uri = from_fs_path(str(path))
        return str(uri) if uri else path.as_uri()

    def view_now(self, uri: str, *, fresh: bool = True) -> tuple[PackView, Path] | None:
        """A view of the pack of `uri` that matches its buffers as they are now (or, unless `fresh`
        is asked for, the latest one: scene ids and values change seldom, and a large pack takes a
        while to check)."""
        path = _path(uri)
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
        path = _path(uri)
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


def _path(uri: str) -> Path | None:
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


def _answer(server: ZoneServer, uri: str, position: types.Position, empty: T,
            answer: Callable[[PackView, Path, int, int], T], *, fresh: bool = True) -> T:
    """Run a request on the pack as it is now; a bug in Zone is logged, and answered with `empty`."""
    try:
        found = server.view_now(uri, fresh=fresh)
        if found is None:
            return empty
        view, path = found
        line, col = server.server_position(server.lines(uri, view, path), position)
        return answer(view, path, line, col)
    except JsonRpcInvalidParams:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in Zone must not stop the server
        server.bug(exc)
        return empty


def create() -> ZoneServer:
    """The server with every feature registered."""
    server = ZoneServer()
    _documents(server)
    _reading(server)
    _navigation(server)
    return server


def _documents(server: ZoneServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, meaning=True, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, meaning=False, delay=server.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, meaning=True, delay=server.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, meaning=False, delay=0)

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        """The one option: `{"debounce": SECONDS}`, the quiet after an edit before a check (0 to 5)."""
        options = params.initialization_options
        wanted = options.get("debounce") if isinstance(options, dict) else None
        if isinstance(wanted, (int, float)) and not isinstance(wanted, bool) and 0 <= wanted <= 5:
            server.debounce = float(wanted)

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        """Ask to hear of pack files changed outside the editor (a checkout, a new file), where the
        editor can watch files."""
        watched = server.client_capabilities.workspace and server.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            await server.client_register_capability_async(types.RegistrationParams(registrations=[
                types.Registration(id="zone-pack-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                   register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                                       types.FileSystemWatcher(glob_pattern="**/*.{yaml,yml}")]))]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = _path(change.uri)
            checked = server.packs.get(path.parent) if path is not None else None
            if checked is not None:  # a pack being worked on: read it again
                checked.view = None
                server.schedule(change.uri, meaning=True, delay=server.debounce)


def _reading(server: ZoneServer) -> None:
    """Completion, hover and the outline."""

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=[" ", ".", "{", "[", ",", "("]))
    def completion(params: types.CompletionParams) -> types.CompletionList:
        def items(view: PackView, path: Path, line: int, col: int) -> types.CompletionList:
            lines = server.lines(params.text_document.uri, view, path)
            found = answers.complete(view, lines, line, col)
            return types.CompletionList(is_incomplete=False, items=[types.CompletionItem(
                label=c.label, kind=_KINDS[c.kind], detail=c.detail or None,
                text_edit=types.TextEdit(range=server.client_range(lines, line, c.start, col - c.start),
                                         new_text=c.label)) for c in found])
        return _answer(server, params.text_document.uri, params.position,
                       types.CompletionList(is_incomplete=False, items=[]), items, fresh=False)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        def about(view: PackView, path: Path, line: int, col: int) -> types.Hover | None:
            markdown = answers.hover(view, path, line, col)
            if markdown is None:
                return None
            return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown))
        return _answer(server, params.text_document.uri, params.position, None, about)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        return _answer(server, params.text_document.uri, types.Position(line=0, character=0), [],
                       lambda view, path, line, col: _outline(server, view, path))


def _outline(server: ZoneServer, view: PackView, path: Path) -> list[types.DocumentSymbol]:
    text = view.files.get(path)
    out = []
    for s in answers.symbols(view, path):
        chosen = server.client_range(text, s.selection.line, s.selection.col, s.selection.length)
        last = len(text.lines[s.end_line]) if text is not None else 0
        whole = types.Range(start=server.client_range(text, s.selection.line, 0, 0).start,
                            end=server.client_range(text, s.end_line, last, 0).end)
        out.append(types.DocumentSymbol(name=s.name, detail=s.detail, kind=types.SymbolKind.Class, range=whole,
                                        selection_range=chosen))
    return out


def _navigation(server: ZoneServer) -> None:
    """Definitions, references and rename."""

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(params: types.DefinitionParams) -> list[types.Location]:
        return _answer(server, params.text_document.uri, params.position, [],
                       lambda view, path, line, col: [server.location(view, s)
                                                      for s in answers.definition(view, path, line, col)])

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(params: types.ReferenceParams) -> list[types.Location]:
        declaration = params.context.include_declaration
        return _answer(server, params.text_document.uri, params.position, [],
                       lambda view, path, line, col: [
                           server.location(view, s)
                           for s in answers.references(view, path, line, col, declaration=declaration)])

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(params: types.PrepareRenameParams) -> types.Range | None:
        def spot(view: PackView, path: Path, line: int, col: int) -> types.Range | None:
            found = answers.scene_at(view, path, line, col)
            if found is None:
                return None
            s = found[1]
            return server.client_range(view.files.get(s.path), s.line, s.col, s.length)
        return _answer(server, params.text_document.uri, params.position, None, spot)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        def edit(view: PackView, path: Path, line: int, col: int) -> types.WorkspaceEdit:
            try:
                _, spots = answers.rename(view, path, line, col, params.new_name)
            except answers.RenameError as exc:
                raise JsonRpcInvalidParams(str(exc)) from None
            changes: dict[str, list[types.TextEdit]] = {}
            for s in spots:
                changes.setdefault(server.uri_of(s.path), []).append(types.TextEdit(
                    range=server.client_range(view.files.get(s.path), s.line, s.col, s.length),
                    new_text=params.new_name))
            return types.WorkspaceEdit(changes=changes)
        return _answer(server, params.text_document.uri, params.position, None, edit)


def serve() -> None:
    """Talk to an editor over stdin and stdout until it says to stop (or Ctrl-C, exit status 130)."""
    signal.signal(signal.SIGINT, _interrupted)
    create().start_io()


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C. The thread that reads stdin cannot be stopped while it waits for a line, and pygls
    would wait for it before returning: the process ends here (it holds nothing to save)."""
    print("zone: interrupted", file=sys.stderr, flush=True)
    os._exit(130)
