"""The game loop: choices, every in-game command, autosave, endings and records, interrupts and signals.

Driven in-process through the plain view, with a scripted reader standing in for the player.
"""

from __future__ import annotations

import io
import json
import os
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.conftest import PACKS
from zone.engine import Engine
from zone.pack import load_pack
from zone.run import Run
from zone.saves.slots import SaveStore
from zone.status import ExitStatus
from zone.tui.game import Game
from zone.tui.plain import PlainView
from zone.tui.signals import Stop, stop_on_signals
from zone.tui.view import MenuItem, StatusLine

WALK = PACKS / "tui" / "walk"
TO_THE_ROOM = ["1"] * 13  # dawn, stairs, street, bar, table, road, cordon, rails, meadow, ruins, tunnel, dunes, door

Step = str | type[BaseException] | Callable[[], str]


class Script:
    """A Reader that answers from a list; a callable step runs first (to look around), an exception is raised."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.menus: list[list[str]] = []
        self.slots: list[str] = []
        self.status: list[StatusLine | None] = []  # what the status line was told before each read

    def read(self, items: Sequence[MenuItem]) -> str:
        self.menus.append([item.text for item in items])
        if not self.steps:
            raise EOFError
        step = self.steps.pop(0)
        if isinstance(step, type):
            raise step
        return step() if callable(step) else step

    def set_slots(self, slots: Sequence[str]) -> None:
        self.slots = list(slots)

    def set_status(self, line: StatusLine | None) -> None:
        self.status.append(line)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_pack(WALK))


class Played:
    def __init__(self, status: ExitStatus, out: str, game: Game, script: Script) -> None:
        self.status = status
        self.out = out
        self.game = game
        self.script = script


def play(engine: Engine, saves: Path, *steps: Step, title: bool = False, run: Run | None = None) -> Played:
    out = io.StringIO()
    script = Script(*steps)
    game = Game(run or Run.new(engine, 3), saves, PlainView(out, engine.story), script, cwd=saves.parent,
                seed=lambda: 5)
    status = game.play(title=title)
    return Played(status, out.getvalue(), game, script)


def test_a_whole_run_reaches_an_ending_with_its_summary(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", *TO_THE_ROOM)
    assert done.status == ExitStatus.OK
    assert "*** The end: Into the Room ***" in done.out
    assert "Your way: Before dawn, The road, Inside, The end of the way (13 choices)" in done.out
    assert "The Stalker\n  Faith: 7 of 10" in done.out
    assert "Endings found: 1 of 4 (a new one)" in done.out
    assert done.script.menus[-1] == ["Play again", "Quit"]
    records = json.loads((tmp_path / "saves" / "records.zone.json").read_text())
    assert records["packs"] == {"tui_walk": {"endings": ["room"]}}


def test_endings_found_are_counted_across_runs(engine: Engine, tmp_path: Path) -> None:
    play(engine, tmp_path / "saves", *TO_THE_ROOM)
    again = play(engine, tmp_path / "saves", *TO_THE_ROOM)
    assert "Endings found: 1 of 4\n" in again.out
    other = play(engine, tmp_path / "saves", *TO_THE_ROOM[:8], "3")  # turn back at the meadow
    assert "*** The end: Turned back at the meadow ***" in other.out
    assert "Endings found: 2 of 4 (a new one)" in other.out


def test_the_ending_menu_plays_again_or_quits(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", *TO_THE_ROOM, "1", *TO_THE_ROOM, "2", "1")
    assert done.out.count("== Before dawn: The kitchen, before the alarm ==") == 2
    assert done.out.count("*** The end: Into the Room ***") == 2
    assert done.status == ExitStatus.OK
    assert done.script.steps == ["1"]  # "2" (Quit) ended the game


def test_the_run_is_autosaved_after_every_choice(engine: Engine, tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves", engine.story)
    seen: list[int] = []

    def look() -> str:
        slot = store.latest()
        assert slot is not None
        seen.append(store.load(slot, engine)[0].state.turn)
        return "1"

    play(engine, tmp_path / "saves", "1", look, look, ":quit")
    assert seen == [1, 2]


def test_a_run_with_no_choice_yet_leaves_the_autosave_alone(engine: Engine, tmp_path: Path) -> None:
    play(engine, tmp_path / "saves", "1", "1")
    play(engine, tmp_path / "saves", ":quit")
    store = SaveStore(tmp_path / "saves", engine.story)
    slot = store.latest()
    assert slot is not None and store.load(slot, engine)[0].state.turn == 2


def test_save_load_and_the_list_of_saves(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", "1", ":save Before-Stairs", "2", ":load", ":load before-stairs")
    assert "Saved in slot 'before-stairs'. ':load before-stairs' brings it back." in done.out
    assert "  before-stairs: Before dawn, The stairs, turn 1, saved " in done.out
    assert "Type ':load NAME' to load one." in done.out
    assert "Loaded 'before-stairs'." in done.out
    after_load = done.out.split("Loaded 'before-stairs'.")[1]
    assert "== Before dawn: The stairs ==" in after_load and "  3. Go back up to the kitchen." in after_load
    assert "before-stairs" in done.script.slots


def test_save_problems_are_one_line_and_play_goes_on(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", ":save no/way", ":load nothing-here", ":load", "1")
    lines = done.out.splitlines()
    assert any(line.startswith("'no/way'") and "slot name" in line for line in lines)
    assert any("nothing-here" in line for line in lines)
    assert "There are no saved runs yet. ':save NAME' makes one." in done.out
    assert "You chose: Dress quietly." in done.out
    assert "Traceback" not in done.out


def test_an_autosave_that_cannot_be_written_is_reported_once(engine: Engine, tmp_path: Path) -> None:
    blocker = tmp_path / "saves"
    blocker.write_text("a file where the saves folder should be")
    done = play(engine, blocker, "1", "1", "1")
    assert done.status == ExitStatus.OK
    assert done.out.count("Autosave failed:") == 1
    assert "The bar's window is the only light." in done.out
    assert "The run is saved" not in done.out


def test_undo_status_journal_help_restart(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", ":undo", "2", ":undo", "1", ":status", ":journal", ":help",
                ":restart")
    out = done.out
    assert "There is nothing to take back." in out
    assert "Taken back." in out
    assert "The Stalker\n  Faith: 5 of 10\n  Guilt: 2 of 10\n" in out  # the undone "wake her" is gone
    assert "The story so far" in out and "You chose: Dress quietly." in out
    assert ":transcript FILE" in out and ":restart" in out
    assert "From the beginning." in out
    assert out.rstrip().endswith("  2. Wake her and say goodbye.")  # a new run with no choice is not saved


def test_commands_then_the_choices_are_listed_again(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", ":status", "7")
    assert done.out.count("  1. Dress quietly.") == 2  # after the frame, and again after the status
    assert "Type a number from 1 to 2, or :help for the commands." in done.out


def test_a_disabled_choice_says_why(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", "2", "3")
    assert "Not now: She is awake now; there is nothing to go back for." in done.out


def test_transcripts_as_text_and_html(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", "1", "2", ":transcript run.txt", f":transcript {tmp_path}/run.html",
                ":transcript run.pdf", ":transcript missing/folder/run.txt")
    text = (tmp_path / "run.txt").read_text(encoding="utf-8")
    assert text.startswith("The Long Way Round\n\nThe story so far\n")
    assert "You chose: Leave the bag where it hangs." in text and "[link=x]" in text
    html = (tmp_path / "run.html").read_text(encoding="utf-8")
    assert "<!DOCTYPE html>" in html and "Leave the bag where it hangs." in html
    assert "The story so far is in run.txt." in done.out
    assert "Name a .txt, .html or .json file, for example ':transcript run.html'." in done.out
    assert "Cannot write the transcript to missing/folder/run.txt: No such file or directory" in done.out


def test_title_menu_new_continue_load_quit(engine: Engine, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    quit_now = play(engine, saves, "4", title=True)
    assert quit_now.status == ExitStatus.OK and "The Long Way Round" in quit_now.out
    assert quit_now.script.menus[0] == ["Continue the last run", "New run", "Load a saved run", "Quit"]
    disabled = play(engine, saves, "1", "4", title=True)
    assert "There is no saved run yet." in disabled.out
    play(engine, saves, "2", "1", "1", ":save two", title=True)
    resumed = play(engine, saves, "1", ":quit", title=True)
    assert "Going on where you left off." in resumed.out and "The bar's window is the only light." in resumed.out
    loaded = play(engine, saves, "3", "2", ":quit", title=True)
    assert loaded.script.menus[1][-1] == "Back" and "Loaded '" in loaded.out


def test_ctrl_c_once_clears_twice_quits_and_saves(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", "1", KeyboardInterrupt, "1", KeyboardInterrupt, KeyboardInterrupt, "1")
    assert done.status == ExitStatus.OK
    assert done.out.count("Press Ctrl-C again to quit") == 2
    assert done.script.steps == ["1"]
    store = SaveStore(tmp_path / "saves", engine.story)
    slot = store.latest()
    assert slot is not None and store.load(slot, engine)[0].state.turn == 2


def test_ctrl_c_while_printing_saves_and_stops(engine: Engine, tmp_path: Path) -> None:
    class Loud(PlainView):
        def chosen(self, text: str) -> None:
            if "Take the bag" in text:
                raise KeyboardInterrupt
            super().chosen(text)

    game = Game(Run.new(engine, 3), tmp_path / "saves", Loud(io.StringIO(), engine.story), Script("1", "1"),
                cwd=tmp_path)
    assert game.play() == ExitStatus.INTERRUPTED
    assert SaveStore(tmp_path / "saves", engine.story).latest() is not None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_save_and_leave(engine: Engine, tmp_path: Path, signum: int) -> None:
    def hang_up() -> str:
        os.kill(os.getpid(), signum)
        return "1"  # never reached: the handler raises first

    before = signal.getsignal(signum)
    with stop_on_signals():
        done = play(engine, tmp_path / "saves", "1", "2", hang_up, "1")
    assert signal.getsignal(signum) == before
    assert done.status == ExitStatus.INTERRUPTED
    assert done.script.steps == ["1"]
    store = SaveStore(tmp_path / "saves", engine.story)
    slot = store.latest()
    assert slot is not None and store.load(slot, engine)[0].state.turn == 2


def test_a_slot_name_that_folds_onto_another_asks_before_saving_over_it(engine: Engine, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    store = SaveStore(saves, engine.story)
    done = play(engine, saves, "1", ":save ss", "2", ":save ß", "1", ":save ß", "2")
    assert "'ß' is written 'ss' in slot names, and slot 'ss' already holds a save. Save over it?" in done.out
    assert "1. No, keep slot 'ss' as it is" in done.out and "2. Yes, save over 'ss'" in done.out
    assert "Not saved: slot 'ss' is as it was." in done.out
    assert store.load("ss", engine)[0].state.turn == 2  # the second, confirmed, save
    kept = play(engine, saves, ":save ß")  # asked, and the input ends: nothing is overwritten
    assert "Save over it?" in kept.out and store.load("ss", engine)[0].state.turn == 2
    fresh = play(engine, saves, "1", ":save ſtreet")  # a new slot: nothing to ask
    assert "Saved in slot 'street'." in fresh.out and "Save over it?" not in fresh.out


def test_zone_saves_delete_refuses_a_name_that_folds_onto_another(tmp_path: Path) -> None:
    from tests.conftest import run_main

    saves = tmp_path / "saves"
    walk = load_pack(WALK)
    SaveStore(saves, walk).save("ss", Run.new(Engine(walk), 3))
    result = run_main("saves", "delete", "ß", "--saves", str(saves))
    assert result.status == 1
    assert result.err == ("zone: 'ß' is written 'ss' in slot names; to delete slot 'ss', name it as it is "
                          "written: zone saves delete ss\n")
    assert (saves / "ss.json").exists()


def test_transcript_paths_that_cannot_be_used_are_one_line_and_play_goes_on(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", "1", ":transcript ~nosuchuser-zone/x.txt", ":transcript a\0b.txt",
                ":transcript ~nosuchuser-zone/run.json", ":transcript a\0b.json", "2")
    assert done.status == ExitStatus.OK
    assert "Cannot write the transcript to ~nosuchuser-zone/x.txt: there is no such user's home folder" in done.out
    assert "Cannot write the transcript to ~nosuchuser-zone/run.json: there is no such user's home folder" in done.out
    assert done.out.count("Cannot write the transcript to ab.") == 2  # the NUL is not shown
    assert "You chose: Leave the bag where it hangs." in done.out


def test_ctrl_c_as_a_prompt_ends_saves_the_run_and_exits_130(engine: Engine, tmp_path: Path) -> None:
    def late_ctrl_c() -> str:
        raise Stop(signal.SIGINT)

    done = play(engine, tmp_path / "saves", "1", late_ctrl_c)
    assert done.status == ExitStatus.INTERRUPTED
    slot = SaveStore(tmp_path / "saves", engine.story).latest()
    assert slot is not None


def test_items_are_listed_under_their_display_names(tmp_path: Path) -> None:
    cyrillic = Engine(load_pack(PACKS / "tui" / "cyrillic"))
    done = play(cyrillic, tmp_path / "saves", ":status", "1")
    assert done.out.count("Carried\n  Гайки 🔩: 3\n") == 1  # the status
    assert done.out.count("Carried\n  Гайки 🔩: 2\n") == 1  # the ending
    assert "Nuts" not in done.out


def test_the_title_screen_says_where_each_saved_run_stands_and_when_it_was_saved(engine: Engine,
                                                                                 tmp_path: Path) -> None:
    import re

    saves = tmp_path / "saves"
    play(engine, saves, "2", "1", "1", ":save two", title=True)
    loaded = play(engine, saves, "3", "2", ":quit", title=True)
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d"
    assert re.fullmatch(rf"Continue the last run \(.+ · .+, turn 2, {when}\)", loaded.script.menus[0][0])
    assert all(re.fullmatch(rf"[\w-]+: .+ · .+, turn 2, {when}", item) for item in loaded.script.menus[1][:-1])


def test_errors_in_the_game_are_said_as_sentences(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", "1", ":load nope", "2")
    assert "There is no save in slot 'nope'" in done.out


def test_the_status_line_is_on_at_a_terminal_follows_the_run_and_status_line_switches_it(tmp_path: Path) -> None:
    from tests.test_tui_view import pinned

    engine = Engine(load_pack(pinned(tmp_path)))
    out, script = io.StringIO(), Script("2", "1", "1", ":status line", "1", ":status line on", ":status line off")
    game = Game(Run.new(engine, 3), tmp_path / "saves", PlainView(out, engine.story), script, cwd=tmp_path,
                keys=True)
    assert game.play() == ExitStatus.OK
    shown = [None if s is None else (s.chapter, [(p.name, [(x.name, x.value) for x in p.stats]) for p in s.parties])
             for s in script.status]
    stalker = ("The Stalker", [("Faith", 5)])
    assert shown == [("Before dawn", [stalker]), ("Before dawn", [stalker]), ("Before dawn", [stalker]),
                     ("The road", [stalker, ("The Writer", [("Trust", 4)])]),  # met in the bar
                     None, None,  # switched off, then a choice: still off
                     ("The road", [stalker, ("The Writer", [("Trust", 5)])]), None]
    assert "The status line is off. ':status line' brings it back." in out.getvalue()


def test_plain_mode_has_no_status_line_and_says_so(engine: Engine, tmp_path: Path) -> None:
    done = play(engine, tmp_path / "saves", "1", ":status line", ":status lines")
    assert set(done.script.status) == {None}
    assert "There is no status line in plain text; ':status' says it all." in done.out
    assert "Type ':status' for everything, or ':status line' to show or hide the status line." in done.out


def test_transcripts_written_at_the_ending_end_with_it_and_keep_notes_as_the_player_had_them(
        engine: Engine, tmp_path: Path) -> None:
    play(engine, tmp_path / "saves", *TO_THE_ROOM, ":transcript end.txt", ":notes off", ":transcript quiet.txt")
    text = (tmp_path / "end.txt").read_text(encoding="utf-8")
    assert "You chose: Buy the Writer a drink.\nThe Writer: Trust rises to 5.\n" in text
    assert text.index("The door of the Room") < text.index("*** The end: Into the Room ***")
    assert "Your way: Before dawn, The road, Inside, The end of the way (13 choices)" in text
    assert "The Stalker\n  Faith: 7 of 10" in text
    quiet = (tmp_path / "quiet.txt").read_text(encoding="utf-8")
    assert "rises to" not in quiet and "*** The end: Into the Room ***" in quiet
