"""The one replay loop: a list of choices played again from a start state, saying where and why it stopped.

A run rebuilds its journal with it, a save resumed against an edited pack finds
how far its choices still fit, and transcripts (golden tests, `zone replay`)
print what it met. The loop decides only whether each choice can be taken
(`refusal`, also the guard of a single step in `zone.run`); what a stop means
is the caller's business: a transcript refuses, a resumed save falls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from zone.engine import Engine, Frame
from zone.limits import MAX_CHOICES
from zone.state import GameState

__all__ = ["Replayed", "Stop", "refusal", "replay_choices"]


class Stop(Enum):
    """Why a replay stopped."""

    DONE = "every choice was taken"
    ENDED = "an ending was reached before the choices ran out"
    NO_SUCH_CHOICE = "there is no such choice here"
    DISABLED = "the choice cannot be taken now"
    LIMIT = "the run is as long as a run can be"


@dataclass(frozen=True)
class Replayed:
    """What a replay met: every state reached and its frame, the choices taken, and why it stopped.

    `states[0]` is the start; `states[n + 1]` is the state after `choices[n]`, taken in `frames[n]`.
    `stopped_at` is the position in the list of the first choice not taken (its length when all were).
    """

    states: tuple[GameState, ...]
    frames: tuple[Frame, ...]
    choices: tuple[int, ...]
    stopped_at: int
    reason: Stop

    @property
    def complete(self) -> bool:
        return self.reason is Stop.DONE

    @property
    def state(self) -> GameState:
        """The last state reached."""
        return self.states[-1]

    @property
    def frame(self) -> Frame:
        """The frame of the last state reached."""
        return self.frames[-1]


def refusal(frame: Frame, index: int, taken: int = 0, limit: int = MAX_CHOICES) -> Stop | None:
    """Why the `index`-th shown choice of `frame` cannot be taken after `taken` choices; None when it can."""
    if taken >= limit:
        return Stop.LIMIT
    if frame.ending is not None:
        return Stop.ENDED
    if not 0 <= index < len(frame.choices):
        return Stop.NO_SUCH_CHOICE
    if not frame.choices[index].enabled:
        return Stop.DISABLED
    return None


def replay_choices(engine: Engine, start: GameState, choices: Iterable[int], *, limit: int = MAX_CHOICES,
                   through: Callable[[GameState], GameState] | None = None) -> Replayed:
    """Take `choices` (0-based among the shown choices) one by one from `start`, as far as they go.

    `through` is applied to the state after every step (tests pass a JSON round trip).
    """
    state, passed = engine.advance(start)
    frame = engine.frame(state, passed)
    states, frames, taken = [state], [frame], list[int]()
    for index in choices:
        reason = refusal(frame, index, len(taken), limit)
        if reason is not None:
            return Replayed(tuple(states), tuple(frames), tuple(taken), len(taken), reason)
        state, passed = engine.advance(engine.take(state, frame.choices[index].choice))
        if through is not None:
            state = through(state)
        frame = engine.frame(state, passed)
        states.append(state)
        frames.append(frame)
        taken.append(index)
    return Replayed(tuple(states), tuple(frames), tuple(taken), len(taken), Stop.DONE)
