"""Inline text: expressions, conditions, variations and plurals between braces, parsed once, rendered purely."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zone.expr import Symbols
from zone.inline import MAX_DEPTH, InlineError, Seen, parse, plain_text, reads, render

SYMBOLS = Symbols(
    variables=MappingProxyType({"writer.trust": "int", "writer.bottle": "bool", "nuts": "int",
                                "left_wife": "enum:left_wife"}),
    ranges=MappingProxyType({"writer.trust": (0, 10), "nuts": (0, 12), "left_wife": (0, 3)}),
    entities=frozenset({"writer"}),
    scenes=frozenset({"gate"}),
    members=MappingProxyType({"left_wife": ("asleep", "truth", "lie", "silent")}),
)


class Env:
    def __init__(self, values: Mapping[str, int | bool]) -> None:
        self.values = values
        self.visits: Mapping[str, int] = {}
        self.turn = 0


def show(value: object) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def text(source: str, visit: int = 1, seed: int = 7, **values: int | bool) -> str:
    env = Env({"writer.trust": 5, "writer.bottle": True, "nuts": 3, "left_wife": 1,
               **{k.replace("__", "."): v for k, v in values.items()}})
    return render(parse(source, SYMBOLS), env, Seen("gate", visit, seed), show)  # type: ignore[arg-type]


def test_plain_text_stays_plain_and_braces_double_to_escape() -> None:
    assert plain_text(parse("Rust on the gate.", SYMBOLS)) == "Rust on the gate."
    assert text("{{not a brace}} and a | bar") == "{not a brace} and a | bar"


def test_any_expression_is_shown() -> None:
    assert text("You have {nuts} nuts, {nuts + 1} soon; trust {writer.trust * 2}.") == \
        "You have 3 nuts, 4 soon; trust 10."
    assert text("Bottle: {writer.bottle}.") == "Bottle: yes."


@pytest.mark.parametrize(("trust", "expected"), [(6, "He nods."), (5, "He looks away.")])
def test_a_condition_with_an_else(trust: int, expected: str) -> None:
    assert text("{if writer.trust > 5: He nods. | He looks away.}", writer__trust=trust) == expected


def test_an_enumeration_shows_its_members_name_and_compares_by_it() -> None:
    assert text("You told her the {left_wife}.") == "You told her the truth."
    assert text("{if left_wife == lie: She believed you. | She knew.}", left_wife=2) == "She believed you."


def test_a_condition_without_an_else_shows_nothing_when_false() -> None:
    assert text("You wait.{if writer.bottle: He drinks.}", writer__bottle=False) == "You wait."
    assert text("You wait. {if writer.bottle: He drinks.}") == "You wait. He drinks."


def test_conditions_nest_and_bars_double_inside_branches() -> None:
    source = "{if nuts > 0: {if nuts == 1: One left. | Some left.} | None left ||sigh||.}"
    assert text(source, nuts=1) == "One left."
    assert text(source, nuts=4) == "Some left."
    assert text(source, nuts=0) == "None left |sigh|."


@pytest.mark.parametrize(("kind", "shown"), [
    ("seq", ["A", "B", "C", "C", "C"]),
    ("cycle", ["A", "B", "C", "A", "B"]),
    ("once", ["A", "B", "C", "", ""]),
])
def test_variations_follow_how_often_the_scene_was_seen(kind: str, shown: list[str]) -> None:
    assert [text(f"{{{kind}: A | B | C}}", visit=v) for v in range(1, 6)] == shown


def test_a_shuffle_shows_every_option_before_any_repeats_and_depends_only_on_the_seed() -> None:
    source = "{shuffle: A | B | C | D}"
    first_round = [text(source, visit=v, seed=11) for v in range(1, 5)]
    assert sorted(first_round) == ["A", "B", "C", "D"]
    assert [text(source, visit=v, seed=11) for v in range(1, 5)] == first_round  # the same every time
    orders = {tuple(text(source, visit=v, seed=s) for v in range(1, 5)) for s in range(20)}
    assert len(orders) > 1  # the seed decides


def test_plurals_and_agreement() -> None:
    assert [text("{plural nuts: nut | nuts}", nuts=n) for n in (0, 1, 3)] == ["0 nuts", "1 nut", "3 nuts"]
    assert text("The nuts {agree nuts: lies | lie} there.", nuts=1) == "The nuts lies there."
    assert text("The nuts {agree nuts: lies | lie} there.", nuts=2) == "The nuts lie there."


def test_reads_names_every_branch() -> None:
    assert reads(parse("{if writer.bottle: {nuts}} {plural writer.trust: a | b}", SYMBOLS)) == \
        {"writer.bottle", "nuts", "writer.trust"}


@pytest.mark.parametrize(("source", "code", "offset", "words"), [
    ("Hello {nuts", "ZN022", 6, "never closed"),
    ("Hello } there", "ZN022", 6, "without '{'"),
    ("Hi {writer.trusst}.", "ZN016", 4, "writer.trust"),
    ("{if nuts: x}", "ZN017", 4, "number"),
    ("{if writer.trust > 5 He nods.}", "ZN022", 0, "':'"),
    ("{if writer.bottle: a | b | c}", "ZN022", 0, "'|'"),
    ("{plural writer.bottle: a | b}", "ZN022", 8, "true or false"),
    ("{plural nuts: nut}", "ZN022", 0, "two words"),
    ("{seq nuts: a | b}", "ZN022", 5, "no condition"),
    ("{nuts | 2}", "ZN022", 0, "expression"),
    ("A {if writer.bottle: {once: x | {seq: y}", "ZN022", 21, "never closed"),
])
def test_mistakes_are_refused_at_their_offset(source: str, code: str, offset: int, words: str) -> None:
    with pytest.raises(InlineError) as caught:
        parse(source, SYMBOLS)
    assert (caught.value.code, caught.value.offset) == (code, offset)
    assert words in " ".join(str(v) for v in caught.value.fields.values())


def test_ten_thousand_nested_conditions_are_refused_at_the_limit() -> None:
    source = "{if writer.bottle: " * 10_000 + "x" + "}" * 10_000
    with pytest.raises(InlineError) as caught:
        parse(source, SYMBOLS)
    assert caught.value.offset == len("{if writer.bottle: ") * MAX_DEPTH
    assert f"deeper than {MAX_DEPTH}" in str(caught.value.fields["reason"])


SOURCES = [
    "{if writer.trust > 3: Yes {nuts}. | No {plural nuts: nut | nuts}.}",
    "{shuffle: a | {cycle: b | c} | d} {once: e | f} {seq: g | h}",
    "{agree writer.trust: is | are} {writer.bottle}",
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SOURCES), st.integers(0, 10), st.booleans(), st.integers(0, 12), st.integers(1, 50),
       st.integers(0, 2**31))
def test_rendering_never_raises_never_changes_the_state_and_repeats_exactly(
        source: str, trust: int, bottle: bool, nuts: int, visit: int, seed: int) -> None:
    values = {"writer.trust": trust, "writer.bottle": bottle, "nuts": nuts}
    env = Env(dict(values))
    pieces = parse(source, SYMBOLS)
    first = render(pieces, env, Seen("gate", visit, seed), show)  # type: ignore[arg-type]
    assert env.values == values
    assert render(pieces, Env(dict(values)), Seen("gate", visit, seed), show) == first  # type: ignore[arg-type]
    round_trip = json.loads(json.dumps(values))
    assert render(pieces, Env(round_trip), Seen("gate", visit, seed), show) == first  # type: ignore[arg-type]
