"""The handlers of the language server: each notification and request, registered on a
`ZoneServer`, answered by `answers` on the pack as `ZoneServer.view_now` gives it.

A handler never lets an exception out: a bug in Zone is logged and answered with an
empty answer, and a rename that cannot be done is refused with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from zone.lsp import answers
from zone.lsp.packview import PackView
from zone.lsp.server import ZoneServer, path_of

__all__ = ["register"]

T = TypeVar("T")
_KINDS = {"scene": types.CompletionItemKind.Module, "value": types.CompletionItemKind.Variable,
          "member": types.CompletionItemKind.EnumMember, "name": types.CompletionItemKind.Keyword}


def register(server: ZoneServer) -> None:
    _documents(server)
    _reading(server)
    _navigation(server)


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
            path = path_of(change.uri)
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
