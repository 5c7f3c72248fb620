"""`zone lsp` end to end: pygls's own LanguageClient talks to the real `zone lsp` in a child process
over stdio, as an editor does, and each test checks what an author would see in the editor."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from tests.conftest import BUNDLED, PACKS, ROOT, run_main, write_pack

T = TypeVar("T")
WAIT = 60  # seconds before a test gives up waiting for the server (never reached when it works)


class Editor:
    """An editor's side of the protocol, driven from plain test code: the client runs on an event
    loop of its own in a thread, and every diagnostic and log message the server sends is kept."""

    def __init__(self, root: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = LanguageClient("zone-tests", "1")
        self.changed = threading.Condition()
        self.diagnostics: dict[str, tuple[int | None, list[types.Diagnostic], int]] = {}
        self.published = 0  # how many times diagnostics were published
        self.errors: list[str] = []
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            with self.changed:
                self.published += 1
                self.diagnostics[params.uri] = (params.version, params.diagnostics, self.published)
                self.changed.notify_all()

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def logged(params: types.LogMessageParams) -> None:
            if params.type == types.MessageType.Error:
                self.errors.append(params.message)

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def shown(params: types.ShowMessageParams) -> None:
            self.errors.append(params.message)

        self.registrations: list[str] = []

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            self.registrations.extend(r.method for r in params.registrations)

        self.run(self.client.start_io(sys.executable, "-m", "zone", "lsp", cwd=str(ROOT)))
        self.run(self.client.initialize_async(types.InitializeParams(
            initialization_options={"debounce": 0.02},  # the tests make many edits: check soon after each
            capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True))),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="packs")])))
        self.notify(self.client.initialized, types.InitializedParams())

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(WAIT)

    def notify(self, send: Callable[[T], None], params: T) -> None:
        self.loop.call_soon_threadsafe(send, params)

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_async(None))
            self.notify(self.client.exit, None)
            self.run(self.client.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(WAIT)

    # -- documents -----------------------------------------------------------------------------
    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.versions[uri], self.texts[uri] = 1, path.read_text(encoding="utf-8")
        self.notify(self.client.text_document_did_open, types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=self.texts[uri])))
        return uri

    def edit(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.notify(self.client.text_document_did_change, types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    def save(self, uri: str) -> int:
        """Say the document was saved (its text is written by the test); the count of diagnostics published."""
        with self.changed:
            before = self.published
        self.notify(self.client.text_document_did_save, types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        return before

    def diagnostics_of(self, uri: str, after: int = 0) -> list[types.Diagnostic]:
        """The diagnostics of the document as it now is (waiting for them to be checked), published
        after the first `after` publications."""
        version = self.versions.get(uri)
        with self.changed:
            ready = self.changed.wait_for(lambda: uri in self.diagnostics and self.diagnostics[uri][2] > after and (
                version is None or (self.diagnostics[uri][0] or 0) >= version), WAIT)
            assert ready, f"no diagnostics for {uri}"
            return list(self.diagnostics[uri][1])

    def position(self, uri: str, needle: str, offset: int = 0) -> types.Position:
        """Where `needle` first occurs in the document (plus `offset` characters)."""
        text = self.texts[uri] if uri in self.texts else Path(uri[7:]).read_text(encoding="utf-8")
        at = text.index(needle) + offset
        line = text.count("\n", 0, at)
        return types.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))

    def doc(self, uri: str) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=uri)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    """One server for the tests of this module, as an editor keeps one for many packs; each test
    works on packs of its own."""
    ed = Editor(tmp_path_factory.mktemp("editor"))
    try:
        yield ed
    finally:
        ed.close()


@pytest.fixture
def editor(session: Editor) -> Iterator[Editor]:
    yield session
    assert not session.errors, session.errors


def _check_json(pack: Path) -> dict[str, list[tuple[str, int, int, str]]]:
    """What `zone check --json` says of the pack, by file name: (code, 0-based line and column, message)."""
    data = json.loads(run_main("check", str(pack), "--json").out)
    out: dict[str, list[tuple[str, int, int, str]]] = {}
    for d in data["diagnostics"]:
        out.setdefault(Path(d["file"]).name, []).append((d["code"], d["line"] - 1, d["col"] - 1, d["message"]))
    return {name: sorted(found) for name, found in out.items()}


def test_the_editor_shows_what_zone_check_says_of_every_broken_pack(tmp_path: Path, editor: Editor) -> None:
    packs = [shutil.copytree(src, tmp_path / src.name) for src in sorted((PACKS / "broken").iterdir())]
    uris = {pack: {f.name: editor.open(f) for f in sorted(pack.glob("*.yaml"))} for pack in packs}
    for pack in packs:
        expected = _check_json(pack)
        assert expected, pack
        got = {}
        for name, uri in uris[pack].items():
            found = sorted((str(d.code), d.range.start.line, d.range.start.character, d.message)
                           for d in editor.diagnostics_of(uri))
            if found:
                got[name] = found
        assert got == expected, pack.name


def test_the_editor_shows_what_zone_check_says_of_the_bundled_game_with_a_typo(tmp_path: Path,
                                                                                editor: Editor) -> None:
    pack = shutil.copytree(BUNDLED, tmp_path / "game", ignore=shutil.ignore_patterns("__*"))
    uri = editor.open(pack / "stream.yaml")
    assert editor.diagnostics_of(uri) == []
    text = editor.texts[uri]
    broken = re.sub(r"goto: (\w+)", r"goto: \1_gone", text, count=1).replace("if: ", "if: stalker.fath + ", 1)
    editor.edit(uri, broken)
    found = editor.diagnostics_of(uri)
    # The unsaved text, as `zone check` sees it once saved.
    (pack / "stream.yaml").write_text(broken, encoding="utf-8")
    expected = _check_json(pack)
    assert sorted((str(d.code), d.range.start.line, d.range.start.character, d.message)
                  for d in found) == expected["stream.yaml"]
    assert {d.code for d in found} >= {"ZN012", "ZN016"}
    typo = next(d for d in found if d.code == "ZN016")
    assert "did you mean 'stalker.faith'" in typo.message
    assert typo.severity == types.DiagnosticSeverity.Error
    line = broken.splitlines()[typo.range.start.line]
    assert line[typo.range.start.character:typo.range.end.character] == "stalker.fath"


def test_the_meaning_checks_run_on_open_and_again_on_save(tmp_path: Path, editor: Editor) -> None:
    pack = shutil.copytree(PACKS / "broken" / "unused_stat", tmp_path / "unused")
    uri = editor.open(pack / "story.yaml")
    assert [d.code for d in editor.diagnostics_of(uri)] == ["ZN031"]
    text = editor.texts[uri].replace("flags:\n", "flags:\n  # spare is for later\n")
    editor.edit(uri, text)
    assert editor.diagnostics_of(uri) == []  # edited since they ran: until the next save
    (pack / "story.yaml").write_text(text, encoding="utf-8")
    [unused] = editor.diagnostics_of(uri, after=editor.save(uri))
    assert unused.code == "ZN031" and unused.severity == types.DiagnosticSeverity.Warning
    assert unused.range.start.line == text.splitlines().index("  spare: Nothing ever uses this")
    # While another file has an error, zone check does not run them, and neither does the editor.
    walk = editor.open(pack / "walk.yaml")
    assert editor.diagnostics_of(walk) == []
    before = editor.published
    editor.edit(walk, editor.texts[walk].replace("goto:", "goto: nowhere\n      #", 1))
    assert [d.code for d in editor.diagnostics_of(walk)] == ["ZN012"]
    # The check of the edit publishes story.yaml without them (a publication of the check that opening
    # walk.yaml started may still arrive first, so wait for the one that clears them).
    with editor.changed:
        assert editor.changed.wait_for(lambda: uri in editor.diagnostics and editor.diagnostics[uri][2] > before
                                       and list(editor.diagnostics[uri][1]) == [], WAIT)


def test_columns_are_counted_as_the_editor_counts_them(tmp_path: Path, editor: Editor) -> None:
    """Editors count UTF-16 units by default: a character beyond the BMP is two of them."""
    pack = write_pack(tmp_path / "rain", (PACKS / "tiny" / "story.yaml").read_text(encoding="utf-8"),
                      {"walk.yaml": 'gate:\n  title: Rain\n  text: "\U0001f327 rain \U0001f327 and {nut} nuts"\n'
                                    "  ending: Wet\n"})
    [found] = editor.diagnostics_of(editor.open(pack / "walk.yaml"))
    assert (found.code, found.range.start.line) == ("ZN022", 2)
    line = (pack / "walk.yaml").read_text(encoding="utf-8").splitlines()[2].encode("utf-16-le")
    assert line[2 * found.range.start.character:2 * found.range.end.character].decode("utf-16-le") == "nut"


TWO_FILES_STORY = """\
id: walk
title: A walk
version: "1.0"
start: gate
characters:
  guide:
    name: The Guide
    stats:
      faith: {default: 2, range: [0, 5], about: What the guide still believes}
vars:
  mood: {values: [calm, wary], default: calm, about: How the walk feels}
items:
  nuts: {default: 2, range: [0, 5], about: Nuts to throw ahead}
"""
GATE = """\
gate:
  title: The gate
  text: Rust on the gate, and rain. You have {nuts} nuts.
  choices:
    - text: Go on to the field.
      if: visits.field == 0
      goto: field
    - text: Sit down.
      goto: gate
    - text: Walk home.
      goto: home
"""
FIELD = """\
field:
  title: The field
  text: Grass to the knees.
  choices:
    - text: Back to the gate.
      do: guide.faith += 1
      goto: gate
    - text: Home.
      goto: home
home:
  title: Home
  text: The kettle.
  ending: Home again
"""


@pytest.fixture
def two_files(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "walk", TWO_FILES_STORY, {"a_gate.yaml": GATE, "b_field.yaml": FIELD})


def test_a_scene_id_is_completed_after_goto(two_files: Path, editor: Editor) -> None:
    uri = editor.open(two_files / "a_gate.yaml")
    editor.edit(uri, GATE.replace("goto: gate", "goto: ho"))
    at = editor.position(uri, "goto: ho", len("goto: ho"))
    done = editor.run(editor.client.text_document_completion_async(types.CompletionParams(
        text_document=editor.doc(uri), position=at)))
    labels = [item.label for item in done.items]
    assert sorted(labels) == ["field", "gate", "home"]
    home = next(item for item in done.items if item.label == "home")
    assert home.detail == "Home"
    assert home.text_edit.range.start.character == at.character - 2  # replaces the 'ho' typed


def test_names_are_completed_inside_expressions_and_inline_text(two_files: Path, editor: Editor) -> None:
    uri = editor.open(two_files / "a_gate.yaml")
    typed = GATE.replace("{nuts} nuts.", "{gu").replace("if: visits.field == 0", "if: mood == ")
    editor.edit(uri, typed)

    def labels(needle: str) -> list[str]:
        done = editor.run(editor.client.text_document_completion_async(types.CompletionParams(
            text_document=editor.doc(uri), position=editor.position(uri, needle, len(needle)))))
        return sorted(item.label for item in done.items)

    assert "guide.faith" in labels("{gu") and "nuts" in labels("{gu") and "visits.field" in labels("{gu")
    assert labels("mood == ") == ["calm", "wary"]
    assert labels("Rust on") == []  # plain narration


def test_go_to_definition_finds_a_scene_in_another_file_and_hover_shows_it(two_files: Path,
                                                                            editor: Editor) -> None:
    uri = editor.open(two_files / "a_gate.yaml")
    at = editor.position(uri, "goto: field", len("goto: fi"))
    found = editor.run(editor.client.text_document_definition_async(types.DefinitionParams(
        text_document=editor.doc(uri), position=at)))
    assert [(loc.uri, loc.range.start.line, loc.range.start.character) for loc in found] == [
        ((two_files / "b_field.yaml").as_uri(), 0, 0)]
    shown = editor.run(editor.client.text_document_hover_async(types.HoverParams(
        text_document=editor.doc(uri), position=at)))
    assert "The field" in shown.contents.value and "Grass to the knees." in shown.contents.value
    faith = editor.run(editor.client.text_document_hover_async(types.HoverParams(
        text_document=editor.doc(editor.open(two_files / "b_field.yaml")),
        position=editor.position((two_files / "b_field.yaml").as_uri(), "guide.faith", 8))))
    assert "What the guide still believes" in faith.contents.value and "from 0 to 5" in faith.contents.value


def test_references_and_the_outline(two_files: Path, editor: Editor) -> None:
    uri = editor.open(two_files / "b_field.yaml")
    refs = editor.run(editor.client.text_document_references_async(types.ReferenceParams(
        text_document=editor.doc(uri), position=types.Position(line=0, character=1),
        context=types.ReferenceContext(include_declaration=False))))
    gate = (two_files / "a_gate.yaml").as_uri()
    assert sorted((r.uri, r.range.start.line) for r in refs) == [(gate, 5), (gate, 6)]  # visits.field, goto
    outline = editor.run(editor.client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=editor.doc(uri))))
    assert [(s.name, s.detail, s.range.start.line, s.range.end.line) for s in outline] == [
        ("field", "The field", 0, 8), ("home", "Home", 9, 12)]


def test_a_file_written_outside_the_editor_is_read_again(two_files: Path, editor: Editor) -> None:
    uri = editor.open(two_files / "a_gate.yaml")
    assert editor.diagnostics_of(uri) == []
    editor.edit(uri, GATE.replace("goto: gate", "goto: cave"))
    assert [d.code for d in editor.diagnostics_of(uri)] == ["ZN012"]
    (two_files / "c_cave.yaml").write_text("cave:\n  title: The cave\n  text: Dark.\n  ending: Lost\n",
                                           encoding="utf-8")
    before = editor.published
    editor.notify(editor.client.workspace_did_change_watched_files, types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(two_files / "c_cave.yaml").as_uri(), type=types.FileChangeType.Created)]))
    assert editor.diagnostics_of(uri, after=before) == []
    assert editor.registrations == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]


def test_renaming_a_scene_changes_every_file_of_the_pack(two_files: Path, editor: Editor) -> None:
    uri = editor.open(two_files / "b_field.yaml")
    edit = editor.run(editor.client.text_document_rename_async(types.RenameParams(
        text_document=editor.doc(uri), position=editor.position(uri, "field:"), new_name="meadow")))
    assert edit is not None
    for path in two_files.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        for change in sorted(edit.changes.get(path.as_uri(), []), key=lambda c: (c.range.start.line,
                                                                                  c.range.start.character),
                             reverse=True):
            start, end = change.range.start, change.range.end
            line = lines[start.line]
            lines[start.line] = line[:start.character] + change.new_text + line[end.character:]
        path.write_text("".join(lines), encoding="utf-8")
    assert set(edit.changes) == {uri, (two_files / "a_gate.yaml").as_uri()}
    gate = (two_files / "a_gate.yaml").read_text(encoding="utf-8")
    assert "if: visits.meadow == 0\n      goto: meadow\n" in gate
    assert "Go on to the field." in gate  # prose is left alone
    assert (two_files / "b_field.yaml").read_text(encoding="utf-8").startswith("meadow:\n")
    result = run_main("check", str(two_files))
    assert result.status == 0, result.out
    with pytest.raises(Exception, match="already exists"):
        editor.run(editor.client.text_document_rename_async(types.RenameParams(
            text_document=editor.doc(uri), position=editor.position(uri, "home:"), new_name="gate")))


TINY_FILES = sorted((PACKS / "tiny").glob("*.yaml"))


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shutil.copytree(PACKS / "tiny", tmp_path_factory.mktemp("fuzz") / "tiny")


_EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40),
                            st.text(alphabet=st.sampled_from(list("abz09_.:-{}[]\"'#&*! \n\t\u00e9")), max_size=12)),
                  min_size=1, max_size=4)


@settings(max_examples=30, deadline=None)
@given(which=st.sampled_from([f.name for f in TINY_FILES]), edits=_EDITS)
def test_random_edits_give_diagnostics_and_never_stop_the_server(
        session: Editor, fuzzed: Path, which: str, edits: list[tuple[int, int, str]]) -> None:
    editor, pack = session, fuzzed
    uri = (pack / which).as_uri()
    if uri not in editor.versions:
        editor.open(pack / which)
    text = (PACKS / "tiny" / which).read_text(encoding="utf-8")
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut:]
    editor.edit(uri, text)
    found = editor.diagnostics_of(uri)
    assert all(str(d.code).startswith("ZN") and d.message for d in found)
    # The server still answers requests on the broken text.
    editor.run(editor.client.text_document_completion_async(types.CompletionParams(
        text_document=editor.doc(uri), position=types.Position(line=text.count("\n"), character=0))))
    editor.run(editor.client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=editor.doc(uri))))
    assert not editor.errors, editor.errors


def test_run_by_hand_in_a_terminal_it_says_what_it_is_and_ctrl_c_stops_it() -> None:
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "zone", "lsp"], cwd=str(ROOT), encoding="utf-8", timeout=WAIT)
    child.expect("talks to an editor over stdin and stdout")
    child.expect("'zone docs editors' says how to set one up")  # a guide installed with Zone, not a repo path
    child.expect("Ctrl-C stops it")
    child.sendintr()
    child.expect("zone: interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_without_pygls_zone_lsp_says_in_one_line_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)  # as if the lsp extra were not installed
    result = run_main("lsp")
    assert result.status == 1
    assert result.err.strip().splitlines() == [
        "zone: the language server needs pygls, which is not installed: pip install 'zone[lsp]'"]


def test_the_game_and_the_other_commands_never_import_pygls() -> None:
    code = ("import sys; from zone.cli import main; main(['check', 'tests/packs/tiny']); main(['lsp', '--help']); "
            "print(sorted(m for m in sys.modules if 'pygls' in m or 'lsprotocol' in m))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=WAIT,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
