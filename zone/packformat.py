"""The scene pack format, declared once.

The compiler checks keys and kinds against these tables, and `zone schema`
turns the same tables into a JSON Schema for editors, so the two can never
disagree about what a pack may say.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Field", "OBJECTS", "ID_PATTERN", "RESERVED_NAMES", "STORY_FILE"]

STORY_FILE = "story.yaml"
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
# Names that expressions use for themselves, so no character, flag or item may take them.
RESERVED_NAMES = frozenset({"flags", "visits", "items", "vars", "once", "turn", "true", "false"})


class Field(NamedTuple):
    """One key of an object. `kind` names a value shape or another object."""

    name: str
    kind: str
    about: str
    required: bool = False


# kinds: "str", "id", "ids", "goto", "int", "bool", "number_or_bool", "value", "range", "expr", "effects",
# "narration", "next", "map:<object>", "list:<object>", "flag", "ending"
OBJECTS: dict[str, tuple[Field, ...]] = {
    "story": (
        Field("id", "id", "A short id for the pack, used in saves.", True),
        Field("title", "str", "The title shown on the title screen.", True),
        Field("version", "str", "The pack's version, as text (\"1.0\").", True),
        Field("start", "id", "The scene a new run begins in.", True),
        Field("about", "str", "One or two sentences shown under the title."),
        Field("author", "str", "Who wrote the pack."),
        Field("characters", "map:character", "The tracked characters and their stats."),
        Field("flags", "map:flag", "True/false facts about the run, all false at the start."),
        Field("items", "map:item", "Counted things, named without a prefix (nuts)."),
        Field("vars", "map:var", "Story-wide values, named without a prefix: numbers, true/false, or one of "
                                 "named values."),
        Field("chapters", "map:chapter", "Chapter titles by scene file name (without .yaml)."),
        Field("max_call_depth", "int", "How many called scenes may be under way at once (1 to 64; default 8)."),
    ),
    "character": (
        Field("name", "str", "The name shown to the player.", True),
        Field("about", "str", "One line about the character."),
        Field("stats", "map:stat", "The character's stats.", True),
    ),
    "stat": (
        Field("name", "str", "The name shown to the player (defaults to the stat's id, capitalised)."),
        Field("type", "stat_type", "int (the default) or bool."),
        Field("default", "number_or_bool", "The value at the start of a run.", True),
        Field("range", "range", "[lowest, highest] for an int stat; values are clamped to it."),
        Field("percent", "bool", "A percentage: the range is [0, 100], and fair arithmetic (%+, %-) applies."),
        Field("shown", "expr", "When the stat appears in :status (always, without it)."),
        Field("rises", "str", "What the player is told when it goes up (or becomes true)."),
        Field("falls", "str", "What the player is told when it goes down (or becomes false)."),
        Field("pin", "bool", "Pinned to the status line under the character's name, once it is shown."),
        Field("about", "str", "One line describing the stat.", True),
    ),
    "var": (
        Field("name", "str", "The name shown to the player; a value without one is never listed in :status."),
        Field("type", "stat_type", "int (the default) or bool; a value with `values` is one of them."),
        Field("default", "value", "The value at the start of a run: a number, true/false, or one of `values`.",
              True),
        Field("range", "range", "[lowest, highest] for a number; values are clamped to it."),
        Field("percent", "bool", "A percentage: the range is [0, 100], and fair arithmetic (%+, %-) applies."),
        Field("values", "ids", "The named values it can take, such as [asleep, truth, lie, silent]."),
        Field("shown", "expr", "When the value appears in :status (always, without it)."),
        Field("rises", "str", "What the player is told when it goes up (or becomes true)."),
        Field("falls", "str", "What the player is told when it goes down (or becomes false)."),
        Field("about", "str", "One line describing the value.", True),
    ),
    "flag": (
        Field("about", "str", "One line describing the flag.", True),
    ),
    "item": (
        Field("name", "str", "The name shown to the player."),
        Field("shown", "expr", "When the item appears in :status (always, without it)."),
        Field("rises", "str", "What the player is told when it goes up (or becomes true)."),
        Field("falls", "str", "What the player is told when it goes down (or becomes false)."),
        Field("default", "int", "How many at the start of a run.", True),
        Field("range", "range", "[lowest, highest]; values are clamped to it.", True),
        Field("about", "str", "One line describing the item.", True),
    ),
    "chapter": (),
    "scene": (
        Field("title", "str", "The scene's title.", True),
        Field("chapter", "str", "The chapter title (defaults to the file's chapter)."),
        Field("text", "narration", "The narration: text, or a list of text and {if, text, else} parts.", True),
        Field("on_enter", "effects", "Effects applied each time the scene is entered."),
        Field("choices", "list:choice", "What the player can do here."),
        Field("ending", "ending", "Makes the scene an ending: its title, or {id, title}."),
        Field("next", "next", "Where the story goes on without a choice: a scene, a list of {if, goto} tried "
                              "in order (the last without if), `return`, or {random}, {call, goto} or {return}."),
    ),
    "next": (
        Field("goto", "goto", "The scene the story goes on to; with call, the scene after the call returns."),
        Field("random", "list:outcome", "Weighted random outcomes, instead of goto."),
        Field("call", "id", "A scene to call: its `return` comes back to goto."),
        Field("return", "bool", "true: go back to where the scene that was called was called from."),
    ),
    "branch": (
        Field("if", "expr", "Go this way when the condition holds (leave it out on the last way)."),
        Field("goto", "id", "The scene this way leads to.", True),
    ),
    "choice": (
        Field("text", "str", "What the player reads in the list of choices.", True),
        Field("if", "expr", "A condition; when false the choice is shown disabled."),
        Field("reason", "str", "Why the choice is disabled, in the story's voice."),
        Field("hidden", "bool", "Hide the choice, instead of disabling it, when its condition is false."),
        Field("once", "bool", "Gone once it has been taken."),
        Field("fallback", "bool", "Taken by itself when no other choice of the scene can be taken."),
        Field("do", "effects", "Effects applied when the choice is taken."),
        Field("goto", "goto", "The scene the choice leads to, or a list of {if, goto} tried in order (the last "
                              "without if)."),
        Field("random", "list:outcome", "Weighted random outcomes, instead of goto."),
        Field("call", "id", "A scene to call: when it returns, the story goes on at goto (or comes back here)."),
        Field("return", "bool", "true: go back to where the scene that was called was called from."),
    ),
    "effect_block": (
        Field("if", "expr", "The condition, read once before either list of effects.", True),
        Field("do", "effects", "Effects applied, in order, when the condition holds.", True),
        Field("else", "effects", "Effects applied, in order, when it does not."),
    ),
    "outcome": (
        Field("weight", "int", "How likely this outcome is, relative to the others (default 1)."),
        Field("do", "effects", "Effects applied when this outcome is drawn."),
        Field("goto", "id", "The scene this outcome leads to.", True),
    ),
    "passage": (
        Field("if", "expr", "Show this part only when the condition holds."),
        Field("text", "str", "The text of this part.", True),
        Field("else", "str", "Shown instead when the condition does not hold."),
    ),
    "ending": (
        Field("id", "id", "The ending's id (defaults to the scene id)."),
        Field("title", "str", "The ending's title, shown on the ending screen.", True),
    ),
}
