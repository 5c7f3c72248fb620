"""The game loop: read an answer, take a choice or run a command, show what follows.

It speaks only to a `View` and a `Reader` (zone.tui.view), so plain mode and
the terminal front end play by the same rules, and the tests drive it with a
StringIO. The run is saved after every choice (`SaveStore.autosave`) and again
when the game ends for any reason: `:quit`, end of input, Ctrl-D, a second
Ctrl-C, SIGTERM or SIGHUP. A new run never replaces the one in the autosave:
that one is kept as 'previous', and the player is told so in one line. A
problem the player can do something about (a save that cannot be written, a
bad slot name) is one line, and play goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from zone.engine import Frame
from zone.errors import CommandError, SaveError, StateError, ZoneError
from zone.run import Run
from zone.saves.records import open_records
from zone.saves.slots import SaveStore, SlotInfo, check_slot_name, folds_to_another_name
from zone.status import ExitStatus
from zone.tui.glyphs import UNICODE, Glyphs
from zone.tui.ingame import help_lines, read_line
from zone.tui.signals import Stop
from zone.tui.view import (
    EndingSummary,
    MenuItem,
    Reader,
    StatusLine,
    View,
    changes_of,
    ending_summary,
    menu_of,
    saved_when,
    status_line_of,
    status_of,
)
from zone.tui.watch import WATCHFILES_HINT, LiveWatch, PackChanged, Watcher, fit_run

__all__ = ["Game", "new_seed"]

QUICK_SLOT = "quick"
ENDING_MENU = (MenuItem("Play again"), MenuItem("Quit"))
_RELIST = frozenset({"status", "journal", "help", "load"})  # after these, plain mode lists the choices again


def new_seed() -> int:
    return int.from_bytes(os.urandom(4), "big") % 10**6


class Game:
    """One session of play: a run, where it is saved, and the front end it is played through.

    `saves` is the saves folder (the endings found are kept in it too); `pack`,
    when given, is watched for changes between turns; `keys` adds the keys of
    the interactive prompt to `:help`; `hint` is what the player is told on
    leaving (`continue_hint`).
    """

    def __init__(self, run: Run, saves: Path, view: View, reader: Reader, *, cwd: Path,
                 pack: Path | None = None, keys: bool = False, seed: Callable[[], int] = new_seed,
                 source: str | None = None, hint: str | None = None, glyphs: Glyphs = UNICODE) -> None:
        self.run = run
        self.glyphs = glyphs
        self.source = source  # the pack folder as the player named it, for replay files
        self.saves = saves
        self.hint = hint or "The run is saved: 'zone play --continue' goes on from here."
        self.store = SaveStore(saves, run.engine.story)
        self.records = open_records(saves)
        self.view = view
        self.reader = reader
        self.cwd = cwd
        self.watcher = Watcher(pack) if pack is not None else None
        waker = getattr(reader, "waker", None) if pack is not None else None  # can it stop waiting?
        wake = waker() if waker is not None else None
        self.live = LiveWatch(pack, wake) if pack is not None and wake is not None else None
        self.keys = keys
        self.seed = seed
        self._interrupted = False
        self._autosave_failed = False
        self.notes = True  # say when a choice changes what :status shows (:notes off)
        self.status_line = keys  # the status line under the choices, in the terminal only (:status line off)
        self._frame = run.frame()
        self._menu_shown = False

    @property
    def story_id(self) -> str:
        return self.run.engine.story.id

    # -- the loop ----------------------------------------------------------------------------
    def play(self, *, title: bool = False, message: str | None = None) -> ExitStatus:
        """Play until the player leaves; never raises for anything the player did."""
        self._refresh_slots()
        if self.live is not None and not self.live.start():
            self.view.note(WATCHFILES_HINT)
        try:
            if title and not self._title():
                return ExitStatus.OK
            if not title:
                self._keep_aside()
            if message:
                self.view.note(message)
            self._show()
            return self._loop()
        except Stop:
            self._autosave(quiet=True)
            return ExitStatus.INTERRUPTED
        except KeyboardInterrupt:  # Ctrl-C outside the prompt, while printing
            self._autosave(quiet=True)
            return ExitStatus.INTERRUPTED
        finally:
            if self.live is not None:
                self.live.stop()

    def _loop(self) -> ExitStatus:
        while True:
            self._check_watch()
            items = self._items()
            self.reader.set_status(self._status_line())
            if not self._menu_shown:
                self.view.menu(items)
                self._menu_shown = True
            try:
                line = self.reader.read(items)
            except PackChanged:  # while it waited: reloaded at the top of the loop
                continue
            except EOFError:
                return self._quit()
            except KeyboardInterrupt:
                if self._interrupted:
                    return self._quit()
                self._interrupted = True
                self.view.note("Press Ctrl-C again to quit, or go on playing.")
                continue
            self._interrupted = False
            try:
                if self._handle(line, items):
                    return self._quit()
            except CommandError as exc:
                self.view.problem(_sentence(exc))

    def _items(self) -> list[MenuItem]:
        return list(ENDING_MENU) if self._frame.ending is not None else menu_of(self._frame)

    def _handle(self, line: str, items: list[MenuItem]) -> bool:
        """Act on one line; True when the player leaves."""
        entry = read_line(line, len(items))
        if entry is None:
            return False
        if entry.number is not None:
            if self._frame.ending is not None:
                if entry.number == 1:
                    self._cmd_restart("")
                    return False
                return True
            self._choose(entry.number - 1)
            return False
        handler: Callable[[str], bool | None] = getattr(self, f"_cmd_{entry.command}")
        if entry.command in _RELIST:
            self._menu_shown = False
        return bool(handler(entry.arg))

    def _choose(self, index: int) -> None:
        choice = self._frame.choices[index]
        if not choice.enabled:
            self.view.problem(f"Not now: {choice.reason or 'Not now.'}")
            return
        self.view.chosen(choice.text)
        before = self.run.state
        self.run.choose(index)
        if self.notes:
            for note in changes_of(self.run.engine.story, before, self.run.state):
                self.view.note(note)
        self._autosave()
        self._show()

    def _show(self) -> None:
        self._frame = frame = self.run.frame()
        self.view.frame(frame)
        self._menu_shown = False
        if frame.ending is not None:
            self.view.ending(self._summary(frame))

    def _mine(self) -> list[SlotInfo]:
        """This pack's slots, newest first, named as the player types them ('autosave', 'previous')."""
        return [s._replace(slot=self.store.shown(s.slot)) for s in self.store.slots() if s.pack == self.story_id]

    def _refresh_slots(self) -> None:
        """Tell the reader the slot names, for completion."""
        self.reader.set_slots([s.slot for s in self._mine()])

    def _quit(self) -> ExitStatus:
        saved = self._autosave()
        if saved:
            self.view.note(self.hint)
        return ExitStatus.OK

    def _keep_aside(self) -> None:
        """Before a new run is played: move the run in the autosave to 'previous', and say so."""
        try:
            kept = self.store.keep_aside(self.run)
        except SaveError as exc:
            self.view.problem(_sentence(exc))
            return
        if kept is not None:
            self._refresh_slots()
            self.view.note(kept)

    def _autosave(self, *, quiet: bool = False) -> bool:
        """Save the run in the autosave slot; a run with no choice yet is not worth a slot."""
        if not self.run.choices:
            return False
        try:
            kept = self.store.autosave(self.run)
        except SaveError as exc:
            if not quiet and not self._autosave_failed:
                self.view.problem(f"Autosave failed: {exc}")
            self._autosave_failed = True
            return False
        except OSError:
            return False
        self._autosave_failed = False
        if kept is not None and not quiet:
            self._refresh_slots()
            self.view.note(kept)
        return True

    # -- the title screen ----------------------------------------------------------------------
    def _title(self) -> bool:
        """The title menu; False when the player quits from it. Continue comes first, so the mark starts
        on it when there is a run to go on with (and on New run, the first entry that can be taken, when not)."""
        story = self.run.engine.story
        self.view.title(story)
        while True:
            mine = self._mine()
            latest = self.store.latest()
            last = next((s for s in mine if latest is not None and s.slot == self.store.shown(latest)), None)
            items = [MenuItem(f"Continue the last run ({self._where(last)})" if last else "Continue the last run",
                              latest is not None, "There is no saved run yet."),
                     MenuItem("New run"),
                     MenuItem("Load a saved run", bool(mine), "There are no saved runs yet."),
                     MenuItem("Quit")]
            answer = self._pick(items)
            if answer in (None, 3):
                return False
            if answer == 1:
                self._keep_aside()
                return True
            if answer == 0 and latest is not None and self._load(latest, said="Going on where you left off."):
                return True
            if answer == 2:
                picked = self._pick([*(MenuItem(f"{s.slot}: {self._where(s)}") for s in mine), MenuItem("Back")])
                if picked is not None and picked < len(mine) and self._load(mine[picked].slot):
                    return True

    def _where(self, info: SlotInfo) -> str:
        """Where a saved run stands, and when it was saved: 'The bar · The crossing, turn 4, 2026-12-06 03:48'."""
        return f"{info.chapter} {self.glyphs.dot} {info.scene_title}, turn {info.turn}, {saved_when(info.saved_at)}"

    def _pick(self, items: list[MenuItem]) -> int | None:
        """A menu outside the story: the index picked, or None to leave."""
        self.reader.set_status(None)
        self.view.menu(items)
        while True:
            try:
                line = self.reader.read(items)
            except PackChanged:  # outside the story: reloaded once play goes on
                continue
            except (EOFError, KeyboardInterrupt):
                return None
            try:
                entry = read_line(line, len(items))
            except CommandError as exc:
                self.view.problem(_sentence(exc))
                continue
            if entry is None:
                continue
            if entry.command == "quit":
                return None
            if entry.command is not None:
                self.view.problem("Pick from the menu first.")
                continue
            assert entry.number is not None
            if not items[entry.number - 1].enabled:
                self.view.problem(items[entry.number - 1].reason)
                continue
            return entry.number - 1

    # -- the ending ----------------------------------------------------------------------------
    def _summary(self, frame: Frame) -> EndingSummary:
        assert frame.ending is not None
        story = self.run.engine.story
        new = False
        try:
            new = self.records.add(story.id, frame.ending.id)
        except ZoneError as exc:
            self.view.problem(_sentence(exc))
        return ending_summary(self.run, self.records.found(story.id), new=new)

    # -- pack reloads (--watch) ----------------------------------------------------------------
    def _check_watch(self) -> None:
        if self.watcher is None or not self.watcher.changed():
            return
        reload = self.watcher.reload()
        if reload.story is None:
            # The cause first: an error that only follows from a file that could not be read comes last.
            errors = sorted(reload.errors, key=lambda d: d.code == "ZN036")
            first = errors[0].format() if errors else "the pack could not be read"
            more = f" (and {len(errors) - 1} more: 'zone check' lists them)" if len(errors) > 1 else ""
            self.view.problem(f"The pack changed and has errors; the story goes on as it was: {first}{more}")
            return
        try:
            run, message = fit_run(self.run, reload.story)
        except ZoneError as exc:
            self.view.note(f"The pack changed, but this run no longer fits it ({exc}); "
                           "the story goes on as it was. ':restart' starts the new version.")
            return
        self.run = run
        self.store = SaveStore(self.saves, reload.story)
        self.view.note(message or "The pack changed; reloaded, and the run goes on.")
        self._show()

    # -- commands: each returns True to leave --------------------------------------------------
    def _cmd_save(self, arg: str) -> None:
        typed = arg or QUICK_SLOT
        try:
            slot = check_slot_name(typed)
            if folds_to_another_name(typed) and self.store.exists(slot) and not self._overwrite(typed, slot):
                self.view.note(f"Not saved: slot '{slot}' is as it was.")
                return
            kept = self.store.save(slot, self.run)
        except SaveError as exc:
            self.view.problem(_sentence(exc))
            return
        self._refresh_slots()
        if kept is not None:
            self.view.note(kept)
        self.view.note(f"Saved in slot '{slot}'. ':load {slot}' brings it back.")

    def _overwrite(self, typed: str, slot: str) -> bool:
        """Ask before a name that folds onto another ('ß' is 'ss') overwrites the save already in that slot."""
        self.view.note(f"'{typed}' is written '{slot}' in slot names, and slot '{slot}' already holds a save. "
                       "Save over it?")
        answer = self._pick([MenuItem(f"No, keep slot '{slot}' as it is"), MenuItem(f"Yes, save over '{slot}'")])
        self._menu_shown = False
        return answer == 1

    def _cmd_load(self, arg: str) -> None:
        if not arg:
            mine = self._mine()
            if not mine:
                self.view.note("There are no saved runs yet. ':save NAME' makes one.")
                return
            self.view.slots(mine)
            self.view.note("Type ':load NAME' to load one.")
            return
        if self._load(arg):
            self._show()

    def _load(self, slot: str, *, said: str | None = None) -> bool:
        try:
            run, message = self.store.load(slot, self.run.engine)
        except SaveError as exc:
            self.view.problem(_sentence(exc))
            return False
        self.run = run
        self._frame = run.frame()
        self.view.note((said or f"Loaded '{slot}'.") + (f" {message}" if message else ""))
        return True

    def _cmd_undo(self, arg: str) -> None:
        if not self.run.undo():
            self.view.note("There is nothing to take back.")
            return
        self.view.note("Taken back.")
        self._autosave()
        self._show()

    def _cmd_notes(self, arg: str) -> None:
        if arg not in ("", "on", "off"):
            self.view.problem("Type ':notes on' or ':notes off'.")
            return
        self.notes = arg != "off" if arg else not self.notes
        self.view.note("Notes are on: a choice that changes what :status shows says so." if self.notes
                       else "Notes are off. ':notes on' brings them back.")

    def _status_line(self) -> StatusLine | None:
        if not self.status_line:
            return None
        return status_line_of(self.run.engine.story, self.run.state, self._frame.chapter)

    def _cmd_status(self, arg: str) -> None:
        what, _, switch = arg.casefold().partition(" ")
        if what == "line" and switch.strip() in ("", "on", "off"):
            self._switch_status_line(switch.strip())
            return
        if arg:
            self.view.problem("Type ':status' for everything, or ':status line' to show or hide the status line.")
            return
        status = status_of(self.run.engine.story, self.run.state)
        if not status.parties and not status.items:
            self.view.note("This story keeps no count of characters or things.")
            return
        self.view.status(status)

    def _switch_status_line(self, switch: str) -> None:
        if not self.keys:
            self.view.note("There is no status line in plain text; ':status' says it all.")
            return
        if status_line_of(self.run.engine.story, self.run.state, "") is None:
            self.view.note("This story pins nothing to the status line; ':status' says it all.")
            return
        self.status_line = switch != "off" if switch else not self.status_line
        self.view.note("The status line is on, under the choices." if self.status_line
                       else "The status line is off. ':status line' brings it back.")

    def _cmd_journal(self, arg: str) -> None:
        try:
            entries = self.run.journal()
        except StateError as exc:
            self.view.problem(f"The story so far cannot be retold: {exc}")
            return
        self.view.journal(entries)

    def _cmd_transcript(self, arg: str) -> None:
        kind = Path(arg).suffix.casefold()
        if kind not in (".txt", ".html", ".htm", ".json"):
            self.view.problem("Name a .txt, .html or .json file, for example ':transcript run.html'.")
            return
        try:
            path = Path(arg).expanduser()
        except RuntimeError:  # `~nosuchuser/x.txt`
            self._cannot_write(arg, "there is no such user's home folder")
            return
        if not path.is_absolute():
            path = self.cwd / path
        if kind == ".json":
            self._write_replay(path, arg)
            return
        from zone.tui.transcripts import story_so_far

        try:
            told = story_so_far(self.run, notes=self.notes)
        except StateError as exc:
            self.view.problem(f"The story so far cannot be retold: {exc}")
            return
        if kind == ".txt":
            from zone.tui.plain import transcript_text

            text = transcript_text(told)
        else:
            from zone.tui.transcripts import transcript_html

            text = transcript_html(told)
        from zone.atomic import write_atomic

        try:
            write_atomic(path, text.encode("utf-8"), durable=False)
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            self._cannot_write(arg, exc)
            return
        self.view.note(f"The story so far is in {arg}.")

    def _write_replay(self, path: Path, shown: str) -> None:
        """A replay file: the seed and the choices, which `zone replay` turns back into the run."""
        from zone.saves.replayfile import Replay

        try:
            Replay.from_run(self.run, self.source).write(path)
        except (OSError, ValueError) as exc:
            self._cannot_write(shown, exc)
            return
        self.view.note(f"The run is recorded in {shown}: 'zone replay {shown}' plays it back.")

    def _cannot_write(self, shown: str, why: Exception | str) -> None:
        """One line for a transcript that cannot be written; the game goes on."""
        reason = why.strerror if isinstance(why, OSError) and why.strerror else str(why)
        self.view.problem(f"Cannot write the transcript to {shown}: {reason}")

    def _cmd_help(self, arg: str) -> None:
        self.view.help(help_lines(keys=self.keys))

    def _cmd_restart(self, arg: str) -> None:
        old = self.run
        self.run = Run.new(old.engine, self.seed(), scene=old.start_scene, values=old.start_values)
        self.view.note("From the beginning.")
        self._keep_aside()
        self._show()

    def _cmd_quit(self, arg: str) -> bool:
        return True


def _sentence(exc: Exception) -> str:
    """An error's one line as the game says it: as a sentence, with a capital."""
    text = str(exc)
    return text[:1].upper() + text[1:]
