"""Story tests (the Skein): recorded runs replayed and compared with their blessed transcripts.

A pack's `tests/` folder holds replay files (`:transcript tests/NAME.json` in the
game, or `zone playtest --replays tests`), each beside its blessed transcript
`NAME.txt`: the text `zone replay` prints for it. A test passes when the run still
replays and reads the same; a changed line is a unified diff, and a run that can no
longer be replayed (a choice gone or disabled) is one line saying at which step,
in which scene, and which choice, by its text as the blessed copy recorded it.

Replaying is `zone.replay`'s one loop, through `zone.transcript`; blessing writes
through `zone.atomic`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from zone.engine import Engine
from zone.errors import ReplayError, StateError
from zone.model import Value
from zone.pack import TESTS_FOLDER, display_name
from zone.replay import Replayed, Stop, replay_choices
from zone.saves.replayfile import Replay
from zone.state import GameState
from zone.transcript import transcript

__all__ = ["BLESSED_SUFFIX", "TESTS_FOLDER", "Outcome", "StoryTest", "bless", "find_tests", "run_test"]

BLESSED_SUFFIX = ".txt"
MAX_BLESSED_BYTES = 16 * 1024 * 1024
_CHOSEN = "> "  # how a transcript marks the choice taken after a frame


class Outcome(Enum):
    PASSED = "passed"
    CHANGED = "changed"  # the transcript differs from the blessed copy
    NEW = "new"  # there is no blessed copy yet
    BROKEN = "broken"  # the run cannot be replayed any more
    UNREADABLE = "unreadable"  # the replay file or its blessed copy cannot be used

    @property
    def blessable(self) -> bool:
        return self in (Outcome.CHANGED, Outcome.NEW)


@dataclass(frozen=True)
class StoryTest:
    """One recorded run and what replaying it found. `problem` is one line for BROKEN and UNREADABLE."""

    replay_file: Path
    outcome: Outcome
    now: str | None = None  # the transcript as the pack tells it now
    blessed: str | None = None
    problem: str = ""

    @property
    def blessed_file(self) -> Path:
        return self.replay_file.with_suffix(BLESSED_SUFFIX)

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    def diff(self) -> str:
        """The unified diff from the blessed copy to the transcript now ('' when they agree)."""
        if self.now is None or self.blessed is None or self.now == self.blessed:
            return ""
        return "".join(difflib.unified_diff(
            self.blessed.splitlines(keepends=True), self.now.splitlines(keepends=True),
            fromfile=f"{display_name(self.blessed_file)} (blessed)", tofile=f"{display_name(self.replay_file)} (now)"))


def find_tests(pack: Path) -> list[Path]:
    """The replay files of the pack's tests/ folder, in name order (none when there is no such folder)."""
    folder = pack / TESTS_FOLDER
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise ReplayError(f"cannot read {display_name(folder)}: {exc.strerror or exc}") from None


def run_test(engine: Engine, replay_file: Path) -> StoryTest:
    """Replay one recorded run against the story and compare it with its blessed copy."""
    shown = display_name(replay_file)
    try:
        replay = Replay.read(replay_file)
        blessed = _read_blessed(replay_file.with_suffix(BLESSED_SUFFIX))
    except ReplayError as exc:
        return StoryTest(replay_file, Outcome.UNREADABLE, problem=str(exc))
    story = engine.story
    if replay.pack_id is not None and replay.pack_id != story.id:
        return StoryTest(replay_file, Outcome.UNREADABLE, blessed=blessed,
                         problem=f"{shown} was recorded with pack '{replay.pack_id}', not '{story.id}'")
    try:
        values = _start_values(replay, engine)
        now = transcript(engine, replay.seed, replay.choices, scene=replay.scene, values=values)
    except StateError as exc:
        return StoryTest(replay_file, Outcome.BROKEN, blessed=blessed,
                         problem=f"{shown}: cannot be replayed: {_where_it_stops(engine, replay, blessed, exc)}")
    if blessed is None:
        return StoryTest(replay_file, Outcome.NEW, now=now)
    return StoryTest(replay_file, Outcome.PASSED if now == blessed else Outcome.CHANGED, now=now, blessed=blessed)


def bless(test: StoryTest) -> Path:
    """Write the transcript as it is now as the blessed copy; the path written."""
    from zone.atomic import write_atomic

    if test.now is None:
        raise ValueError("only a run that replays can be blessed")
    write_atomic(test.blessed_file, test.now.encode("utf-8"), durable=False)
    return test.blessed_file


def _read_blessed(path: Path) -> str | None:
    from zone._files import read_regular

    try:
        data = read_regular(path, MAX_BLESSED_BYTES)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ReplayError(f"cannot read {display_name(path)}: {exc.strerror or exc}") from None
    if len(data) > MAX_BLESSED_BYTES:
        raise ReplayError(f"{display_name(path)}: a blessed transcript is at most {MAX_BLESSED_BYTES} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReplayError(f"{display_name(path)} is not UTF-8 text") from None


def _start_values(replay: Replay, engine: Engine) -> dict[str, Value] | None:
    """The values the run started with, checked against the story (StateError for a name it lacks)."""
    if not replay.values:
        return None
    story = engine.story
    return dict(GameState.from_dict({"scene": story.start, "values": dict(replay.values)}, story).values)


def _where_it_stops(engine: Engine, replay: Replay, blessed: str | None, error: StateError) -> str:
    """Where and why the recorded choices stop fitting the story, by scene and the choice's text."""
    try:
        start = engine.start(replay.seed, scene=replay.scene, values=_start_values(replay, engine))
    except StateError:
        return str(error)  # the start itself is refused: the error says why
    replayed = replay_choices(engine, start, replay.choices)
    if replayed.complete:
        return str(error)
    return _stop_line(replayed, replay.choices, _recorded_choices(blessed))


def _stop_line(replayed: Replayed, choices: Sequence[int], recorded: list[str]) -> str:
    at = replayed.stopped_at
    frame = replayed.frame
    where = f"step {at + 1}, in scene '{frame.scene.id}' ({frame.title})"
    if replayed.reason is Stop.ENDED:
        return (f"{where}: the run has reached the ending '{frame.ending.title if frame.ending else ''}' "
                f"with {len(choices) - at} recorded choice{'s' * (len(choices) - at != 1)} left")
    if replayed.reason is Stop.LIMIT:
        return f"{where}: the run is as long as a run can be"
    index = choices[at]
    text = recorded[at] if at < len(recorded) else ""
    if replayed.reason is Stop.DISABLED and frame.choices[index].text in (text, ""):
        view = frame.choices[index]
        why = f" ({view.reason})" if view.reason else ""
        return f"{where}: choice {index + 1} '{view.text}' cannot be taken now{why}"
    named = f"choice {index + 1} '{text}'" if text else f"choice {index + 1}"
    moved = [v.index + 1 for v in frame.choices if text and v.text == text]
    hint = f"; it is choice {moved[0]} now" if moved else ""
    return f"{where}: {named} is not there any more{hint}"


def _recorded_choices(blessed: str | None) -> list[str]:
    """The text of each choice taken, as the blessed transcript recorded it ('> 2. Text')."""
    if blessed is None:
        return []
    found = []
    for line in blessed.splitlines():
        if line.startswith(_CHOSEN):
            number, _, text = line[len(_CHOSEN):].partition(". ")
            if number.isdigit():
                found.append(text)
    return found
