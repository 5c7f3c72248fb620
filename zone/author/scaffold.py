"""`zone new DIR`: a small pack to start from, sound by every check we have.

It shows each part of the format once (a character stat, a flag, an item, a
condition with its reason, effects, a random choice, narration that remembers,
interpolation, an ending) and passes `zone check` with no warnings; `zone
playtest` and `zone prove` find no problem in it. The tests hold it to that.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from zone.errors import ZoneError
from zone.pack import TESTS_FOLDER

__all__ = ["new_pack", "pack_id"]

_STORY = """\
# The story file: what the pack is, and what it keeps track of.
# Every key is described in the authors' guide: run 'zone docs'.
id: {id}
title: {title}
version: "0.1"
start: gate
about: A short walk in the rain, to start your own story from.
author: You

characters:
  guide:
    name: The Guide
    about: The one who knows the way.
    stats:
      trust: {{default: 0, range: [0, 3], about: How far the guide trusts you}}

flags:
  listened: You listened to the guide at the gate

items:
  nuts: {{name: Nuts, default: 2, range: [0, 5], about: Nuts to throw ahead of you}}

chapters:
  walk: The walk
"""

_SCENES = """\
# A scene file: scene ids mapped to scenes. Add as many files as you like.
gate:
  title: The gate
  text: |
    A rusted gate in the rain. The guide waits beside it, saying nothing.
    You have {nuts} nuts in your pocket.
  choices:
    - text: Listen to the guide.
      do:
        - flags.listened = true
        - guide.trust += 1
      goto: path
    - text: Walk on alone.
      goto: path

path:
  title: The path
  text:
    - The path bends into wet grass as high as your knees.
    - if: flags.listened
      text: The guide walks close beside you.
      else: The guide follows a few steps behind, watching you.
  choices:
    - text: Throw a nut ahead, and follow where it lands.
      if: nuts > 0
      reason: Your pocket is empty.
      do: nuts -= 1
      random:
        - weight: 3
          goto: home
        - weight: 1
          goto: path
    - text: Ask the guide to lead.
      if: guide.trust >= 1
      reason: The guide will not lead someone who would not listen.
      goto: home
    - text: Go back to the gate.
      goto: gate

home:
  title: Home
  text: |
    You are home, with {nuts} nuts left. The guide's trust in you is {guide.trust}.
  ending: Home again
"""

_README = """\
# {title}

A scene pack for Zone. `story.yaml` says what the story is and what it keeps
track of; `walk.yaml` holds the scenes; `tests/` keeps recorded runs (story
tests). `zone docs` prints the authors' guide, which describes every key, and
`zone docs tools` every tool below. Run them in this folder and they use this
pack; from elsewhere, name it (`zone check {folder}`).

    zone check {folder}          every problem, with file:line:col (exit 1 on errors)
    zone play {folder}           play it (--seed N for the same run again)
    zone playtest {folder}       random playthroughs: coverage and problems
    zone prove {folder}          every state: reachable endings, soft locks, dead choices
    zone stats {folder}          scenes, choices, words, route lengths
    zone graph {folder} -o map.dot   the story map (also --format mermaid, svg, png)
    zone test {folder}           replay the runs kept in tests/ and compare their transcripts
    zone schema -o zone.schema.json  completion and checking in your editor

To keep a run as a story test, play and type `:transcript tests/NAME.json`,
then `zone test --bless` to accept its transcript; from then on `zone test`
shows a diff whenever an edit changes what that run reads.

Edit, then run `zone check` again. When `zone prove` reports every ending
reachable and no soft lock, the pack is sound.
"""


def pack_id(name: str) -> str:
    """A valid pack id from a folder name: 'My Pack!' -> 'my_pack'."""
    ident = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not ident or not ident[0].isalpha():
        ident = "pack_" + ident if ident else "my_pack"
    return ident


def new_pack(folder: Path, title: str | None = None) -> list[Path]:
    """Write the starter pack into `folder` (created; it must be empty) and return the files written, and
    the empty tests/ folder for story tests."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ZoneError(f"{folder} already exists and is not an empty folder; choose a new name")
    name = folder.resolve().name
    title = (title or name.replace("_", " ").replace("-", " ").strip().title() or "My Pack").replace('"', "'")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TESTS_FOLDER).mkdir(exist_ok=True)
    files = {
        "story.yaml": _STORY.format(id=pack_id(name), title=_yaml_text(title)),
        "walk.yaml": _SCENES,
        "README.md": _README.format(title=title, folder=shlex.quote(name)),
    }
    written = []
    for file_name, text in files.items():
        path = folder / file_name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return [*written, folder / TESTS_FOLDER]


def _yaml_text(text: str) -> str:
    """A title as a YAML scalar that always reads back as the same text."""
    return '"' + text.replace("\\", "\\\\") + '"'
