"""Called scenes: `call` and `return`, the stack of calls in the state, and the checks that keep them sound."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import built_and_cached, run_main, write_pack
from zone.author.playtest import playtest
from zone.author.prove import prove
from zone.author.relevance import KeyCodec
from zone.engine import Engine
from zone.errors import StateError
from zone.model import Story
from zone.pack import check_pack
from zone.run import Run
from zone.saves.slots import SaveStore
from zone.state import GameState

STORY = """\
id: calls
title: Calls
version: "1"
start: bar
vars:
  drinks: {default: 0, range: [0, 3], about: Glasses emptied}
"""

# The Writer's talk is called from two places and goes back to each; it calls the bottle in turn.
SCENES = """\
bar:
  title: The bar
  text: Rain on the window.
  choices:
    - text: Talk to the Writer.
      call: talk
    - text: Talk, then leave.
      call: talk
      goto: street
    - text: Leave.
      goto: street
talk:
  title: The talk
  text: He talks.
  choices:
    - text: Pour him a glass.
      call: bottle
      goto: talk_after
    - text: Nod.
      return: true
talk_after:
  title: After the glass
  text: He talks more slowly.
  next: return
bottle:
  title: The bottle
  text: "The bottle is {if drinks < 3: not empty | empty}."
  on_enter: drinks += 1
  next: {return: true}
street:
  title: The street
  text: Out into the rain.
  choices:
    - text: Go home.
      goto: home
    - text: One more word with the Writer.
      if: drinks < 3
      call: talk
      goto: home
home:
  title: Home
  text: Home.
  ending: Home
"""


def pack(tmp_path: Path, scenes: str = SCENES, story: str = STORY) -> Path:
    return write_pack(tmp_path, story, {"bar.yaml": scenes})


def sound(tmp_path: Path, scenes: str = SCENES, story: str = STORY) -> Engine:
    story_, diags = check_pack(pack(tmp_path, scenes, story))
    assert story_ is not None and [d.format() for d in diags] == []
    return Engine(story_)


def test_a_call_goes_in_and_its_return_comes_back_to_the_calling_scene(tmp_path: Path) -> None:
    engine = sound(tmp_path)
    state = engine.choose(engine.start(1), 0)
    assert (state.scene, state.stack) == ("talk", ("bar",))
    back = engine.choose(state, 1)
    assert (back.scene, back.stack, back.visits["bar"], back.turn) == ("bar", (), 2, 2)


def test_a_call_with_goto_goes_on_there_and_calls_nest(tmp_path: Path) -> None:
    engine = sound(tmp_path)
    state = engine.choose(engine.start(1), 1)  # talk, then leave
    assert state.stack == ("street",)
    state = engine.choose(state, 0)  # pour: the bottle is called from inside the talk
    assert (state.scene, state.stack, state.values["drinks"]) == ("bottle", ("street", "talk_after"), 1)
    state, passed = engine.advance(state)  # next: {return: true}, then talk_after's next: return
    assert (state.scene, state.stack) == ("street", ())
    assert passed == ("The bottle is not empty.", "He talks more slowly.")
    assert state.turn == 2  # the returns by themselves cost no choice


def test_a_run_inside_a_call_saves_loads_and_undoes_with_its_stack(tmp_path: Path) -> None:
    engine = sound(tmp_path / "p")
    run = Run.new(engine, 3)
    run.choose(1)
    assert run.state.stack == ("street",)
    store = SaveStore(tmp_path / "saves", engine.story)
    store.save("mine", run)
    data = json.loads((tmp_path / "saves" / "mine.json").read_text())
    assert data["header"]["version"] == 3 and data["body"]["state"]["stack"] == ["street"]
    loaded, message = store.load("mine", Engine(engine.story))
    assert message is None and loaded.state == run.state
    loaded.choose(1)  # Nod: back to the street
    assert (loaded.state.scene, loaded.state.stack) == ("street", ())
    assert loaded.undo() and loaded.state.stack == ("street",)


@pytest.mark.parametrize(("stack", "message"), [
    (["bar"] * 9, "the saved stack holds 9 calls; this pack allows at most 8"),
    (["nowhere"], "the saved stack names a scene 'nowhere' that is not in this pack"),
    ("bar", "the saved stack is not a list"),
])
def test_a_saved_stack_that_does_not_fit_the_pack_is_refused(tmp_path: Path, stack: object, message: str) -> None:
    engine = sound(tmp_path)
    data = engine.start(1).to_dict(engine.story)
    data["stack"] = stack
    with pytest.raises(StateError, match=message):
        GameState.from_dict(data, engine.story)


def test_a_crafted_state_that_returns_with_nothing_to_return_to_is_refused_not_a_crash(tmp_path: Path) -> None:
    engine = sound(tmp_path)
    crafted = GameState.from_dict({"scene": "talk", "stack": []}, engine.story)
    with pytest.raises(StateError, match="no call to return from"):
        engine.choose(crafted, 1)
    deep = GameState.from_dict({"scene": "talk", "stack": ["bar"] * 8}, engine.story)
    with pytest.raises(StateError, match="deeper than this pack allows"):
        engine.choose(deep, 0)


def test_the_compile_cache_keeps_calls_and_the_depth(tmp_path: Path) -> None:
    folder = pack(tmp_path / "p", story=STORY + "max_call_depth: 3\n")
    built, cached = built_and_cached(folder, tmp_path / "cache")
    assert cached.max_call_depth == built.max_call_depth == 3
    def calls(story: Story) -> list[object]:
        return [(c.call, c.returns, c.auto) for scene in story.scenes.values() for c in scene.choices]

    assert calls(cached) == calls(built) and any(c[0] is not None for c in calls(built))
    a, b = Engine(built), Engine(cached)
    for moves in ([1, 0], [0, 1, 1]):
        sa, sb = a.start(2), b.start(2)
        for index in moves:
            sa, _ = a.advance(a.choose(sa, index))
            sb, _ = b.advance(b.choose(sb, index))
        assert sa == sb


def test_prove_explores_the_stack_exactly(tmp_path: Path) -> None:
    engine = sound(tmp_path)
    proof = prove(engine.story)
    assert proof.complete and proof.sound and proof.endings["home"] is not None
    assert proof.never_enabled == () and proof.unreached == ()
    codec = KeyCodec(engine.story)
    # the same scene with different stacks is a different state, and a key gives its stack back
    state = engine.choose(engine.start(0), 1)
    inner = engine.choose(state, 0)
    assert inner.stack == ("street", "talk_after")
    keys = {codec.encode(inner), codec.encode(inner._replace(stack=("bar", "talk_after"))),
            codec.encode(inner._replace(stack=()))}
    assert len(keys) == 3
    assert codec.decode(codec.encode(inner)).stack == ("street", "talk_after")
    assert "returns to talk_after < street" in codec.describe(codec.encode(inner))


def test_prove_tells_the_two_returns_of_one_called_scene_apart(tmp_path: Path) -> None:
    """The talk's return leads back to the bar or on to the street: only the stack tells which."""
    scenes = SCENES.replace("    - text: Leave.\n      goto: street\n", "")
    proof = prove(sound(tmp_path, scenes).story)
    assert proof.complete and proof.sound
    route = proof.endings["home"]
    assert route is not None and [s.target for s in route.steps] == ["talk", "street", "home"]


def test_playtest_plays_through_calls(tmp_path: Path) -> None:
    engine = sound(tmp_path)
    tally = playtest(tmp_path, engine.story, 1, 60)
    assert set(tally["scenes"]) >= {"bar", "talk", "talk_after", "bottle", "street", "home"}


def test_a_piped_play_goes_through_a_call_and_back(tmp_path: Path) -> None:
    result = run_main("play", str(pack(tmp_path)), "--plain", stdin="1\n2\n3\n1\n")
    assert result.status == 0, result.err
    assert result.out.count("== Bar: The bar ==") == 2 and "Home" in result.out


# -- mistakes, each refused with its code where it is ---------------------------------------------------------

MISTAKES = [
    # a called scene that never returns (reported at the scene)
    (SCENES.replace("  next: return\n", "  next: talk\n").replace("      return: true\n", "      goto: talk\n"),
     "ZN053", 13, 3, "called scene 'talk' never returns"),
    # a call cycle: the bottle calls the talk, which calls the bottle
    (SCENES.replace("  next: {return: true}\n", "  next: {call: talk, goto: talk_after}\n"), "ZN051", 29, 16,
     "call one another in a loop"),
    # a return where no call can be on the stack
    (SCENES.replace("    - text: Leave.\n      goto: street\n", "    - text: Leave.\n      return: true\n"),
     "ZN052", 10, 7, "scene 'bar' can be reached without a call (bar)"),
    # an unknown call target, with a did-you-mean
    (SCENES.replace("      call: bottle\n", "      call: botle\n"), "ZN050", 17, 13, "did you mean 'bottle'"),
    # call and random together
    (SCENES.replace("      call: bottle\n", "      call: bottle\n      random: [{goto: bar}]\n"), "ZN025", 16, 7,
     "exactly one of"),
    # a next that calls with no goto would call again as soon as the call returned
    (SCENES.replace("  next: {return: true}\n", "  next: {call: talk}\n"), "ZN014", 29, 9, "goto"),
    # return: false says nothing
    (SCENES.replace("      return: true\n", "      return: false\n"), "ZN024", 20, 15, "write 'return: true'"),
    # 'return' is not a scene id
    (SCENES + "return:\n  title: R\n  text: r\n  ending: R\n", "ZN024", 44, 1, "'return' cannot be a scene id"),
]


@pytest.mark.parametrize(("scenes", "code", "line", "col", "fragment"), MISTAKES,
                         ids=["never-returns", "cycle", "return-outside", "unknown", "call-and-random",
                              "next-call-no-goto", "return-false", "return-id"])
def test_call_mistakes_are_refused_where_they_are(tmp_path: Path, scenes: str, code: str, line: int, col: int,
                                                  fragment: str) -> None:
    _, diags = check_pack(pack(tmp_path, scenes))
    errors = [d for d in diags if d.is_error]
    assert errors and (errors[0].code, errors[0].pos.line, errors[0].pos.col) == (code, line, col), [
        d.format() for d in errors]
    assert fragment in errors[0].message


def test_calls_deeper_than_the_declared_depth_are_refused_at_the_call_past_it(tmp_path: Path) -> None:
    _, diags = check_pack(pack(tmp_path, story=STORY + "max_call_depth: 1\n"))
    errors = [d for d in diags if d.is_error]
    assert [(d.code, d.pos.line, d.pos.col) for d in errors] == [("ZN051", 17, 13)]
    assert errors[0].message == "calls nest deeper than max_call_depth (1): bar -> talk -> bottle"
    result = run_main("check", str(tmp_path))
    assert result.status == 1 and "bar.yaml:17:13: error ZN051" in result.out


@pytest.mark.parametrize("depth", ["0", "65", "deep"])
def test_a_declared_depth_out_of_range_is_refused(tmp_path: Path, depth: str) -> None:
    _, diags = check_pack(pack(tmp_path, story=STORY + f"max_call_depth: {depth}\n"))
    assert [(d.code, d.pos.line) for d in diags if d.is_error] == [("ZN024" if depth != "deep" else "ZN010", 7)]


def _chain(n: int, last: str) -> str:
    out = ["a0:\n  title: A\n  text: a\n  choices:\n    - {text: go, call: a1, goto: end}\n"]
    for i in range(1, n):
        out.append(f"a{i}:\n  title: A\n  text: a\n  next: {{call: a{i + 1}, goto: r{i}}}\n"
                   f"r{i}:\n  title: R\n  text: r\n  next: return\n")
    out.append(f"a{n}:\n  title: A\n  text: a\n  {last}\n")
    out.append("end:\n  title: End\n  text: e\n  ending: End\n")
    return "".join(out)


@pytest.mark.parametrize(("last", "codes"), [("next: return", ["ZN051"]),
                                            ("next: {call: a1, goto: a0}", ["ZN041", "ZN051"])])
def test_a_long_chain_of_calls_is_refused_without_exhausting_the_stack(tmp_path: Path, last: str,
                                                                       codes: list[str]) -> None:
    story = "id: c\ntitle: C\nversion: '1'\nstart: a0\nmax_call_depth: 64\n"
    _, diags = check_pack(write_pack(tmp_path, story, {"c.yaml": _chain(2000, last)}))
    assert [d.code for d in diags if d.is_error] == codes


_CALLS_PACK: list[Engine] = []


def _calls_engine() -> Engine:
    """The calls pack, built once for the property below (hypothesis runs it many times)."""
    if not _CALLS_PACK:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="zone-calls-"))
        story, _ = check_pack(pack(folder))
        assert story is not None
        _CALLS_PACK.append(Engine(story))
    return _CALLS_PACK[0]


@settings(max_examples=150, deadline=None)
@given(scene=st.sampled_from(["bar", "talk", "talk_after", "bottle", "street", "home"]),
       stack=st.lists(st.sampled_from(["bar", "talk", "talk_after", "bottle", "street", "home"]), max_size=8),
       drinks=st.integers(0, 3), turn=st.integers(0, 50))
def test_a_state_key_keeps_the_stack_exactly(scene: str, stack: list[str], drinks: int, turn: int) -> None:
    engine = _calls_engine()
    codec = KeyCodec(engine.story)
    state = GameState(scene, {**engine.story.defaults, "drinks": drinks}, {scene: 1}, turn, 0, tuple(stack))
    decoded = codec.decode(codec.encode(state))
    assert (decoded.scene, decoded.stack) == (scene, tuple(stack))
    assert codec.encode(decoded) == codec.encode(state)
    again = GameState.from_dict(json.loads(json.dumps(state.to_dict(engine.story))), engine.story)
    assert again.stack == tuple(stack)


def test_called_scenes_that_share_one_large_body_are_checked_without_growing_with_its_square(
        tmp_path: Path) -> None:
    """5,000 scenes in one ring, each calling another: every called scene's body is the whole ring."""
    n = 5000
    out = ["start:\n  title: S\n  text: s\n  choices:\n    - {text: go, call: r0, goto: end}\n"]
    out += [f"r{i}:\n  title: R\n  text: r\n  choices:\n    - {{text: walk, goto: r{(i + 1) % n}}}\n"
            f"    - {{text: back, return: true}}\n    - {{text: deeper, call: r{(i + 7) % n}, goto: r{(i + 3) % n}}}\n"
            for i in range(n)]
    out.append("end:\n  title: E\n  text: e\n  ending: E\n")
    story = "id: c\ntitle: C\nversion: '1'\nstart: start\n"
    _, diags = check_pack(write_pack(tmp_path, story, {"c.yaml": "".join(out)}))
    errors = [d for d in diags if d.is_error]
    assert [d.code for d in errors] == ["ZN051"]  # one loop, at the call back into it: r4993's call of r0
    assert errors[0].pos.line == 6 + 7 * (n - 7) + 6 and errors[0].message.endswith("r4993 -> r0")
