"""Diagnostics are data: a code from one catalogue, a severity, a place, a message.

Every problem in a pack, from a stray byte to a scene nobody can reach, is
reported through here, so that people read one format
(`scenes/stream.yaml:14:7: error ZN012: unknown scene 'the_rom'`) and tools read
the same facts as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

__all__ = ["CATALOGUE", "Diagnostic", "Position", "Severity", "did_you_mean", "format_json", "make"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Position(NamedTuple):
    """A place in a source file; line and column count from 1."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


# code -> (severity, message template). Codes are never reused for another meaning.
CATALOGUE: dict[str, tuple[Severity, str]] = {
    "ZN001": (Severity.ERROR, "cannot read {what}: {reason}"),
    "ZN002": (Severity.ERROR, "file is {size} bytes; the limit is {limit}"),
    "ZN003": (Severity.ERROR, "not valid UTF-8 (byte 0x{byte:02x})"),
    "ZN004": (Severity.ERROR, "YAML syntax: {reason}"),
    "ZN005": (Severity.ERROR, "duplicate key '{key}' (first at line {first})"),
    "ZN006": (Severity.ERROR, "anchors and aliases are not allowed; write the value out"),
    "ZN007": (Severity.ERROR, "YAML tags such as '{tag}' are not allowed"),
    "ZN008": (Severity.ERROR, "nesting deeper than {limit} levels"),
    "ZN009": (Severity.ERROR, "'{value}' is ambiguous in YAML; {advice}"),
    "ZN010": (Severity.ERROR, "{what} must be {expected}, not {got}"),
    "ZN011": (Severity.ERROR, "unknown key '{key}' in {where}{hint}"),
    "ZN012": (Severity.ERROR, "unknown scene '{name}'{hint}"),
    "ZN013": (Severity.ERROR, "scene '{name}' is defined twice (first at {first})"),
    "ZN014": (Severity.ERROR, "{where} needs '{key}'"),
    "ZN015": (Severity.ERROR, "expression: {reason}"),
    "ZN016": (Severity.ERROR, "unknown name '{name}' in expression{hint}"),
    "ZN017": (Severity.ERROR, "type error: {reason}"),
    "ZN018": (Severity.ERROR, "start scene '{name}' does not exist{hint}"),
    "ZN019": (Severity.WARNING, "scene '{name}' cannot be reached from the start"),
    "ZN020": (Severity.ERROR, "scene '{name}' has no choices and is not an ending"),
    "ZN021": (Severity.ERROR, "expression is {length} characters; the limit is {limit}"),
    "ZN022": (Severity.ERROR, "narration: {reason}"),
    "ZN023": (Severity.ERROR, "'{name}' is not a valid {what}: use lowercase letters, digits and _"),
    "ZN024": (Severity.ERROR, "{what}"),
    "ZN025": (Severity.ERROR, "a choice needs exactly one of 'goto' and 'random' (or a 'call', or 'return: true')"),
    "ZN026": (Severity.ERROR, "ending '{name}' is declared twice (first at {first})"),
    "ZN027": (Severity.ERROR, "no story.yaml in {path}: a pack is a folder with story.yaml and scene files"),
    "ZN028": (Severity.ERROR, "'{name}' is declared twice (first at {first})"),
    "ZN036": (Severity.ERROR, "unknown scene '{name}'{hint}; {files} could not be read"),
    "ZN037": (Severity.ERROR, "story.yaml is empty: a pack needs its id, title, version and start"),
    "ZN038": (Severity.ERROR, "the pack has no scenes: write them in .yaml files beside story.yaml"),
    "ZN039": (Severity.ERROR, "the pack has {count} scene files; the limit is {limit}, so {skipped} were not read"),
    "ZN040": (Severity.WARNING, "scene '{name}' has {count} choices; the limit is {limit}: split it into scenes"),
    "ZN041": (Severity.ERROR, "scenes go on by themselves in a loop with no choice to leave it: {loop}"),
    "ZN050": (Severity.ERROR, "unknown called scene '{name}'{hint}"),
    "ZN051": (Severity.ERROR, "{problem}: {chain}"),
    "ZN052": (Severity.ERROR, "'return' with no call to return from: scene '{name}' can be reached without a call "
                              "({how})"),
    "ZN053": (Severity.ERROR, "called scene '{name}' never returns: no 'return' and no ending can be reached from it"),
    # Meaning checks of the authoring tools (zone/author/lint.py); see docs/tools.md.
    "ZN030": (Severity.WARNING, "choice '{text}' can never be taken: '{condition}' is false for every value "
                                "{names} can have"),
    "ZN031": (Severity.WARNING, "'{name}' is declared but never used"),
    "ZN032": (Severity.WARNING, "'{name}' is changed but never read: no condition, effect or text depends on it"),
    "ZN033": (Severity.ERROR, "soft lock: scene '{name}' can be reached with every choice disabled ({how})"),
    "ZN034": (Severity.WARNING, "ending '{name}' can never be reached: conditions rule out every way to it"),
    "ZN035": (Severity.WARNING, "scene '{name}' may leave the player with every choice disabled ({values}); "
                                "run 'zone prove' with a larger --max-states to settle it"),
    "ZN044": (Severity.ERROR, "endless loop: from scene '{name}' the player can only go round {loop}; no ending "
                              "can be reached from there ({how})"),
    # What the player reads, over the states `zone prove` explores (zone/author/readings.py).
    "ZN042": (Severity.WARNING, "choices {first} '{a}' and {second} '{b}' of scene '{name}' lead to the same next "
                                "text (in {states} of {compared} states{more})"),
    "ZN043": (Severity.WARNING, "{branch} in scene '{name}' is never shown{bound}"),
}


class Diagnostic(NamedTuple):
    code: str
    severity: Severity
    message: str
    pos: Position

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        return f"{self.pos}: {self.severity.value} {self.code}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.pos.file,
            "line": self.pos.line,
            "col": self.pos.col,
            "message": self.message,
        }


def make(code: str, pos: Position, **fields: object) -> Diagnostic:
    """Build the diagnostic `code` at `pos` from its catalogue template."""
    severity, template = CATALOGUE[code]
    return Diagnostic(code, severity, template.format(**fields), pos)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' hint, or '' when nothing is close."""
    import difflib

    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    import json

    items = [d.to_dict() for d in diagnostics]
    errors = sum(1 for d in items if d["severity"] == "error")
    return json.dumps({"errors": errors, "warnings": len(items) - errors, "diagnostics": items}, indent=2)
