"""The JSON Schema and `zone check` agree on form: a file the schema accepts is one whose form `zone check`
accepts, and a file `zone check` finds no error of form in is one the schema accepts.

Form, precisely (`is_form`): the kind of every value (text, a whole number, true/false, a list, a mapping),
how it is written (ZN009: no YAML 1.1 surprise such as a plain `Off`, `yes`, `n` or `0x1F` where text is
expected), the keys an object may and must have, which keys go together (goto or random; a stat's type,
default, range and percent; a scene's choices, ending and next), id spelling, and the limits of one value
(an expression's length and emptiness, a constant's size, a weight of at least 1). Not form: whether names
exist, what expressions mean, how values relate (a default inside its range), and the YAML itself (syntax,
tags, anchors, duplicate keys, nesting), which an editor's YAML reader judges before any schema.

The schema sees a file as an editor reads it: YAML 1.2, the YAML language server's default (`Yaml12`). It
sees values, not how they were written, so two cases stay apart, each pinned below: a quoted YAML 1.1 word
(`"Off"`, text to Zone) is refused by the schema too, and a whole number spelled otherwise than plainly
(`012`, `0x1F`, `3.0`), which Zone refuses, reads as a number.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import BUNDLED, PACKS, write_pack
from zone.author.schema import schema
from zone.diagnostics import Diagnostic
from zone.pack import check_pack

HOSTILE = Path(__file__).resolve().parent / "hostile"

FORM_CODES = {"ZN009", "ZN010", "ZN011", "ZN014", "ZN020", "ZN021", "ZN023", "ZN025"}
# ZN024 is every other refusal of a value; these are the ones about form.
FORM_ZN024 = ("a weight must be 1 or more", "must be between -", "is true/false and takes no",
              "takes one of its values and no", "is a percentage, so its range is", "is an ending and cannot have",
              "goes on by itself ('next')", "has only a fallback choice")
SYNTAX_CODES = {"ZN002", "ZN003", "ZN004", "ZN005", "ZN006", "ZN007", "ZN008"}


def is_form(d: Diagnostic) -> bool:
    if not d.is_error:
        return False
    if d.code == "ZN024":
        return any(fragment in d.message for fragment in FORM_ZN024)
    if d.code == "ZN015":
        return d.message.endswith("the expression is empty")
    return d.code in FORM_CODES


class Yaml12(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """YAML 1.2's core schema, as the YAML language server reads a file by default."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


Yaml12.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                             list("tTfF"))
Yaml12.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
                             list("-+0123456789"))
Yaml12.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), list("-+0123456789."))
Yaml12.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
Yaml12.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(
    value, 0) if (value := loader.construct_scalar(node))[:2] in ("0o", "0x") else int(value))

VALIDATOR = jsonschema.Draft7Validator(schema())


def schema_refuses(text: str) -> bool:
    return any(True for _ in VALIDATOR.iter_errors(yaml.load(text, Loader=Yaml12)))  # noqa: S506 - safe loader


def check_refuses(pack: Path) -> dict[str, bool]:
    """For each file of the pack by name, whether `zone check` finds an error of form in it."""
    _, diags = check_pack(pack)
    found = {p.name: False for p in pack.glob("*.yaml")}
    for d in diags:
        if is_form(d):
            found[Path(d.pos.file).name] = True
    return found


def assert_agree(pack: Path, what: str = "") -> None:
    check = check_refuses(pack)
    for path in sorted(pack.glob("*.yaml")):
        assert schema_refuses(path.read_text(encoding="utf-8")) == check[path.name], f"{path.name} {what}"


def test_the_editors_reading_is_yaml_1_2() -> None:
    read = yaml.load("a: Off\nb: yes\nc: n\nd: 012\ne: 0x1F\nf: 1e3\ng: true\nh: 1:30\ni: ~", Loader=Yaml12)  # noqa: S506
    assert read == {"a": "Off", "b": "yes", "c": "n", "d": 12, "e": 31, "f": 1000.0, "g": True, "h": "1:30",
                    "i": None}


REPOSITORY_PACKS = [BUNDLED, *sorted(p.parent for p in PACKS.rglob("story.yaml"))]


@pytest.mark.parametrize("pack", REPOSITORY_PACKS, ids=lambda p: p.name if p == BUNDLED else str(p.relative_to(PACKS)))
def test_every_pack_in_the_repository_agrees(pack: Path) -> None:
    assert_agree(pack)


STORY = """\
id: forms
title: Every form
version: "1.0"
start: gate
about: One of each kind of value.
author: Zone
characters:
  guide:
    name: The Guide
    about: Who leads.
    stats:
      trust: {default: 1, range: [0, 3], about: Trust, rises: The guide nods., falls: The guide frowns.}
      calm: {type: bool, default: true, about: Whether the guide is calm, shown: guide.trust > 0}
      hope: {name: Hope, percent: true, default: 50, about: How much hope is left}
flags:
  looked: You looked back
  waited: {about: You waited}
items:
  nuts: {name: Nuts, default: 2, range: [0, 5], about: Nuts to throw, shown: nuts > 0}
vars:
  mood: {values: [grim, glad], default: grim, about: The mood of the walk}
  rain: {type: bool, default: false, about: Whether it rains}
  steps: {name: Steps, type: int, default: 0, range: [0, 9], about: How far you walked}
chapters:
  walk: The walk
"""

SCENES = """\
gate:
  title: The gate
  chapter: The start
  text:
    - Rain on the gate.
    - if: flags.looked
      text: You looked back once.
      else: You have not looked back.
  on_enter: steps += 1
  choices:
    - text: Look back.
      if: not flags.looked
      reason: You already did.
      hidden: false
      once: true
      do:
        - flags.looked = true
        - if: guide.trust > 1
          do: guide.hope += 10
          else: guide.hope -= 10
      goto: gate
    - text: Throw a nut.
      do: nuts -= 1
      random:
        - weight: 2
          do: mood = glad
          goto: path
        - goto: wait
    - text: Walk on.
      goto:
        - if: guide.calm
          goto: path
        - goto: wait
    - text: Give up.
      fallback: true
      goto: home
wait:
  title: Waiting
  text: You wait in the rain.
  next:
    - if: rain
      goto: gate
    - goto: path
path:
  title: The path
  text: The path goes home.
  choices:
    - text: Go home.
      do: flags.waited = true
      goto: home
home:
  title: Home
  text: Home at last.
  ending: {id: home_again, title: Home again}
"""

# What each plain value is replaced with: YAML 1.1 words, a number Zone keeps as text, an empty text, other
# kinds, a name, and a number out of any range. Whole numbers spelled otherwise (012, 0x1F, 3.0) in place of a
# number are the one case the schema cannot see, pinned in its own test below.
VALUES = ["Off", "n", "0x1F", "1:30", "''", "true", "-3", "gate", "[a, b]", "Bad-Id", "99999999999"]
KEYS = ["no", "extra"]
TEXTS = {"title", "about", "name", "rises", "falls", "reason", "author", "shown", "if", "do", "else", "text"}


def _mutations(text: str) -> Iterator[tuple[str, str]]:
    """Each plain value and key of `text` replaced in turn, once per place in the format (the first scene's
    `title` stands for every scene's, and a key that always holds text or an expression is tried once)."""
    seen: set[tuple[str, ...]] = set()
    cases: list[tuple[yaml.Node, list[str], str]] = []

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        children = node.value if isinstance(node, yaml.MappingNode) else \
            [(None, v) for v in node.value] if isinstance(node, yaml.SequenceNode) else []
        for key, value in children:
            place = (*path[-1:], key.value if key is not None else "[]")
            if place[-1] in TEXTS:
                place = place[-1:]
            if key is not None and ("key", key.value) not in seen:
                seen.add(("key", key.value))
                cases.append((key, KEYS, "key"))
            if isinstance(value, yaml.ScalarNode) and value.style is None and place not in seen:
                seen.add(place)
                numeric = re.fullmatch(r"-?[0-9]+", value.value) is not None
                cases.append((value, [v for v in VALUES if not (numeric and v == "0x1F")], "value"))
            walk(value, place)

    walk(yaml.compose(text, Loader=yaml.SafeLoader), ())
    for node, replacements, kind in cases:
        for new in replacements:
            start, end = node.start_mark.index, node.end_mark.index
            yield f"{kind} {node.value!r} at {node.start_mark.line + 1}:{node.start_mark.column + 1} -> {new}", \
                text[:start] + new + text[end:]


def test_the_forms_pack_is_sound_and_accepted(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "forms", STORY, {"walk.yaml": SCENES})
    story, diags = check_pack(pack)
    assert story is not None and not [d for d in diags if d.is_error]
    assert_agree(pack)


@pytest.mark.parametrize("name", ["story.yaml", "walk.yaml"])
def test_every_value_and_key_replaced_agrees(tmp_path: Path, name: str) -> None:
    pack = write_pack(tmp_path / "forms", STORY, {"walk.yaml": SCENES})
    target = pack / name
    original = target.read_text(encoding="utf-8")
    cases = 0
    for what, text in _mutations(original):
        target.write_text(text, encoding="utf-8")
        assert schema_refuses(text) == check_refuses(pack)[name], what
        cases += 1
    assert cases > 150


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.yaml")))
def test_every_hostile_fixture_agrees_or_is_refused_as_yaml(tmp_path: Path, name: str) -> None:
    pack = write_pack(tmp_path / "pack", STORY, {})
    shutil.copy(HOSTILE / name, pack / "walk.yaml")
    _, diags = check_pack(pack)
    if any(d.code in SYNTAX_CODES for d in diags):
        return  # the YAML itself is refused: the editor's YAML reader says so, before any schema
    assert any(d.is_error for d in diags)
    assert_agree(pack, name)


@pytest.mark.parametrize(("file", "old", "new"), [
    ("story.yaml", "title: Every form", "title: Off"),
    ("walk.yaml", "text: Home at last.", "text: yes"),
    ("walk.yaml", "ending: {id: home_again, title: Home again}", "ending: n"),
    ("walk.yaml", "goto: home\n", "goto: no\n"),
    ("walk.yaml", "hidden: false", "hidden: yes"),
    ("walk.yaml", "title: The path", "title: 0x1F"),
    ("walk.yaml", "title: The path", "title: 12:30"),
])
def test_yaml_1_1_surprises_are_refused_by_both(tmp_path: Path, file: str, old: str, new: str) -> None:
    pack = write_pack(tmp_path / "forms", STORY, {"walk.yaml": SCENES})
    text = (pack / file).read_text(encoding="utf-8")
    assert old in text
    (pack / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    _, diags = check_pack(pack)
    assert any(d.code == "ZN009" for d in diags), new
    assert schema_refuses((pack / file).read_text(encoding="utf-8")), new


@pytest.mark.parametrize(("old", "new", "schema_says", "check_says"), [
    ("title: The path", 'title: "Off"', True, False),  # quoted: text to Zone; the schema cannot see quotes
    ("weight: 2", "weight: 012", False, True),  # a number to the editor; Zone refuses how it is written
    ("weight: 2", "weight: 0x1F", False, True),
    ("weight: 2", "weight: 2.0", False, True),
])
def test_the_two_cases_the_schema_cannot_see_are_these(tmp_path: Path, old: str, new: str, schema_says: bool,
                                                       check_says: bool) -> None:
    pack = write_pack(tmp_path / "forms", STORY, {"walk.yaml": SCENES.replace(old, new, 1)})
    assert schema_refuses(SCENES.replace(old, new, 1)) is schema_says
    assert check_refuses(pack)["walk.yaml"] is check_says
