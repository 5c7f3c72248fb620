"""`zone prove [PACK] [--max-states N] [--strict] [--report] [--json]`: what every state of a pack allows,
what it never does, and what its player reads there."""

from __future__ import annotations

import argparse
import json
from typing import Any

from zone._text import one_line
from zone.author.prove import DEFAULT_MAX_STATES, Partial, Proof, prove
from zone.author.readings import DEFAULT_READ_STATES, Reading, read
from zone.author.routes import SEED_SEARCH, Finding, Route
from zone.commands._pack import add_pack_argument, chosen_pack
from zone.commands.playtest import play_command, replay_command
from zone.environment import Environment
from zone.model import Story, show_value
from zone.pack import load_pack
from zone.progress import Interrupted, Progress
from zone.status import ExitStatus

__all__ = ["configure", "run"]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 100_000_000:
        raise argparse.ArgumentTypeError("must be from 1 to 100000000")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    add_pack_argument(parser)
    parser.add_argument("--max-states", type=_positive, default=DEFAULT_MAX_STATES,
                        help=f"explore at most this many distinct states exactly (default {DEFAULT_MAX_STATES})")
    parser.add_argument("--max-text-states", type=_positive, default=DEFAULT_READ_STATES,
                        help="compare what the player reads in at most this many distinct states "
                             f"(default {DEFAULT_READ_STATES})")
    parser.add_argument("--strict", action="store_true",
                        help="fail unless every ending is reachable, nothing soft-locks, every choice can be "
                             "enabled and every text branch can show")
    parser.add_argument("--report", action="store_true",
                        help="also measure, per scene, the choices whose next text reads like a sibling's")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON, for tools")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    pack = chosen_pack(args.pack, env)
    story = load_pack(pack, env.cache)
    play = play_command(env, pack, args.pack is not None)
    with Progress(env, "prove: exploring", unit="states found", quiet=args.json) as bar:
        try:
            proof = prove(story, args.max_states, progress=lambda explored, found: bar.update(found))
        except Interrupted as stop:
            bar.close()
            _interrupted(story, stop.partial, play, args.json, env)
            raise
        bar.phase("prove: reading the text branches")
        try:
            reading = read(story, args.max_text_states)
        except KeyboardInterrupt:
            bar.close()
            if not args.json:
                env.stdout.write(_text(story, proof, play) + "\nInterrupted while reading the text branches\n")
            raise
    if args.json:
        print(json.dumps(_data(story, proof, reading, play), indent=2), file=env.stdout)
    else:
        text = _text(story, proof, play) + _reading_text(story, reading)
        if args.report:
            text += _report(story, reading, play)
        if args.strict:
            failures = _strict_failures(proof, reading)
            text += "\n--strict: " + ("; ".join(failures) if failures else "every ending can be reached, nothing "
                                      "soft-locks, every choice can be enabled and every text branch can show") + "\n"
        env.stdout.write(text)
    failed = bool(proof.soft_locks or proof.traps or proof.unreachable_endings)
    if args.strict:
        failed = failed or bool(_strict_failures(proof, reading))
    return ExitStatus.ERROR if failed else ExitStatus.OK


def _interrupted(story: Story, partial: Partial, play: str, as_json: bool, env: Environment) -> None:
    """What the walk had found when Ctrl-C stopped it."""
    if as_json:
        print(json.dumps({"pack": story.id, "interrupted": True, "states": partial.states,
                          "endings": {e: _route_data(r, play) for e, r in partial.endings.items()},
                          "soft_locks": [_finding_data(story, f, play) for f in partial.soft_locks]},
                         indent=2), file=env.stdout)
        return
    lines = [f"Proof of {story.title} interrupted: {partial.states} distinct states found so far",
             f"Endings reached so far ({len(partial.endings)} of {len(story.endings)})"]
    for eid, route in partial.endings.items():
        lines.append(f"  {eid}: reachable")
        lines += _route_lines(route, play, "    ")
    lines.append(f"Soft locks found so far: {len(partial.soft_locks) or 'none'}")
    for f in partial.soft_locks:
        lines.append(f"  {f.scene} ({story.scenes[f.scene].pos}); there: {f.values or 'no values matter'}")
        lines += _route_lines(f.route, play, "    ")
    env.stdout.write("\n".join(lines) + "\n")


def _strict_failures(proof: Proof, reading: Reading) -> list[str]:
    """What `--strict` refuses; anything left undecided by the bounds counts, since it is not proved."""
    failures = []
    if any(r is None for r in proof.endings.values()):
        failures.append("an ending is unreachable or was not found")
    if proof.soft_locks or proof.possible_locks or proof.traps:
        failures.append("a soft lock or an endless loop is found or possible")
    if proof.never_enabled or proof.undecided_choices:
        failures.append("a choice is never enabled, or was never seen enabled")
    if reading.never_shown or reading.unshown:
        failures.append("a text branch is never shown")
    return failures


def _coverage(reading: Reading) -> str:
    if reading.complete:
        return f"over every reachable state ({reading.states} distinct states, keeping what the text reads)"
    return (f"over {reading.states} states within {reading.radius} choices of the start (the bound "
            f"--max-text-states {reading.limit} was reached) and {reading.walked} more met on {reading.runs} "
            "random playthroughs")


def _reading_text(story: Story, reading: Reading) -> str:
    lines = ["", "What the player reads, " + _coverage(reading)]
    percent = f"{100 * reading.share:.0f}%"
    lines.append(f"Choices that read the same: {len(reading.same) or 'none'}"
                 + (f" scene{'s' * (len(reading.same) != 1)}; {reading.alike} of {reading.choices} enabled "
                    f"choices ({percent}) lead to the same next text as a sibling" if reading.same else ""))
    lines += ["  " + one_line(d.format()) for d in reading.same_diagnostics(story)]
    proved = sum(b.proved for b in reading.never_shown)
    undecided = len(reading.never_shown) - proved
    lines.append(f"Text branches never shown: {proved or 'none'}" + (" proved" if proved and not reading.complete
                                                                     else "")
                 + (f"; {undecided} more not shown in any state met (undecided: raise --max-text-states)"
                    if undecided else ""))
    lines += ["  " + one_line(d.format()) for d in reading.branch_diagnostics()]
    if reading.unshown:
        lines.append(f"  and {reading.unshown} in scenes no state met")
    return "\n".join(lines) + "\n"


def _report(story: Story, reading: Reading, play: str) -> str:
    """For writers: which scenes to answer first, the most affected first."""
    lines = ["", "Report: choices whose next text reads like a sibling's, by scene (most affected first)",
             f"  overall {reading.alike} of {reading.choices} enabled choices ({100 * reading.share:.1f}%), "
             + _coverage(reading),
             "  share of its states  states  choices alike  most in one state  scene"]
    for f in reading.same:
        share = f"{100 * f.states / f.compared:.0f}%"
        alike = ", ".join(str(n + 1) for n in f.alike)
        lines.append(f"  {share:>19}  {f.states:>6}  {alike:>13}  {f.most:>17}  {f.scene} "
                     f"({story.scenes[f.scene].pos})")
        replay = reading.replay(f)
        if replay is not None:
            lines.append(f"      first met: {replay_command(play, *replay)}")
    return "\n".join(lines) + "\n"


def _route_data(route: Route, play: str) -> dict[str, Any]:
    return {"choices": [s.number for s in route.steps], "scenes": [s.target for s in route.steps],
            "outcomes": [s.branch for s in route.steps], "seed": route.seed, "shortest": route.shortest,
            "command": None if route.seed is None else replay_command(play, route.seed, route.choices)}


def _finding_data(story: Story, f: Finding, play: str) -> dict[str, Any]:
    return {"scene": f.scene, "where": str(story.scenes[f.scene].pos), "states": f.states, "values": f.values,
            "route": _route_data(f.route, play)}


def _reading_data(story: Story, reading: Reading) -> dict[str, Any]:
    return {
        "states": reading.states, "complete": reading.complete, "max_text_states": reading.limit,
        "radius": reading.radius, "random_runs": reading.runs, "random_states": reading.walked,
        "choices": reading.choices, "alike": reading.alike,
        "same": [{"scene": f.scene, "where": str(d.pos),
                  "choices": [n + 1 for n in f.first], "texts": list(f.texts), "states": f.states,
                  "compared": f.compared, "alike": [n + 1 for n in f.alike], "most": f.most}
                 for f, d in zip(reading.same, reading.same_diagnostics(story), strict=True)],
        "never_shown": [{"scene": b.scene, "where": str(b.pos), "inline": b.inline,
                         "condition": b.condition.source, "shows": "text" if b.shows else "else",
                         "proved": b.proved} for b in reading.never_shown],
        "unshown_elsewhere": reading.unshown,
    }


def _data(story: Story, proof: Proof, reading: Reading, play: str) -> dict[str, Any]:
    def choice(sid: str, n: int) -> dict[str, Any]:
        c = story.scenes[sid].choices[n]
        return {"scene": sid, "choice": n + 1, "where": str(c.pos),
                "condition": c.condition.source if c.condition else None}

    return {
        "pack": story.id, "states": proof.states, "complete": proof.complete, "max_states": proof.limit,
        "radius": proof.radius,
        "endings": {e: (None if r is None else _route_data(r, play)) for e, r in proof.endings.items()},
        "unreachable_endings": sorted(proof.unreachable_endings),
        "soft_locks": [_finding_data(story, f, play) for f in proof.soft_locks],
        "possible_soft_locks": {sid: {k: v for k, v in ex.items()} for sid, ex in proof.possible_locks.items()},
        "endless_loops": [{**_finding_data(story, f, play), "loop": list(f.loop)} for f in proof.traps],
        "never_enabled": [choice(s, n) for s, n in proof.never_enabled],
        "never_reached": list(proof.unreached),
        "undecided_scenes": list(proof.undecided_scenes),
        "undecided_choices": [choice(s, n) for s, n in proof.undecided_choices],
        "reading": _reading_data(story, reading),
        "strict_failures": _strict_failures(proof, reading),
    }


def _route_lines(route: Route, play: str, indent: str) -> list[str]:
    n = len(route.steps)
    numbers = " ".join(str(s.number) for s in route.steps) or "(none: it is where the story starts)"
    kind = "shortest route" if route.shortest else "a route (found by search, maybe not the shortest)"
    lines = [f"{indent}{kind}: {n} choice{'s' * (n != 1)}: {numbers}"]
    randoms = [(i + 1, s) for i, s in enumerate(route.steps) if s.branch is not None]
    if randoms:
        falls = ", ".join(f"step {i} -> {s.target}" for i, s in randoms)
        lines.append(f"{indent}  random steps falling: {falls}")
    if route.seed is None:
        lines.append(f"{indent}  no seed below {SEED_SEARCH} makes every random step fall that way")
    else:
        lines.append(f"{indent}  replay: {replay_command(play, route.seed, route.choices)}")
    return lines


def _text(story: Story, proof: Proof, play: str) -> str:
    lines = [f"Proof of {story.title} ({story.id} {story.version})"]
    if proof.complete:
        lines.append(f"  every reachable state explored: {proof.states} distinct states")
    else:
        lines.append(f"  the state space is larger than --max-states {proof.limit}: {proof.states} distinct states "
                     f"explored, every one within {proof.radius} choices of the start")
        lines.append("  beyond that, 'proved' facts come from an over-approximation of the values each scene can "
                     "see, and routes from a guided search")
    reachable = sum(1 for r in proof.endings.values() if r is not None)
    lines += ["", f"Endings ({reachable} of {len(proof.endings)} reachable)"]
    for eid, route in proof.endings.items():
        if route is not None:
            lines.append(f"  {eid}: reachable")
            lines += _route_lines(route, play, "    ")
        elif eid in proof.unreachable_endings:
            lines.append(f"  {eid}: UNREACHABLE: no state reaches it" + ("" if proof.complete else " (proved)"))
        else:
            lines.append(f"  {eid}: not found within the bound (undecided; raise --max-states)")
    lines.append("")
    if proof.soft_locks:
        lines.append(f"Soft locks ({len(proof.soft_locks)}): reachable states, not endings, with no choice enabled")
        for f in proof.soft_locks:
            count = f" in {f.states} distinct state{'s' * (f.states != 1)}" if f.states else ""
            lines.append(f"  {f.scene} ({story.scenes[f.scene].pos}){count}; there: {f.values or 'no values matter'}")
            lines += _route_lines(f.route, play, "    ")
    elif proof.possible_locks:
        lines.append("Soft locks: none found")
    else:
        lines.append("Soft locks: none" + ("" if proof.complete else " possible (proved)"))
    for sid, example in proof.possible_locks.items():
        shown = ", ".join(story.stats[k].said(v) if k in story.stats else f"{k}={show_value(v)}"
                          for k, v in example.items()) or "values too many to list"
        lines.append(f"  possible, not confirmed: {sid} ({story.scenes[sid].pos}) when {shown}")
    if proof.complete:
        if proof.traps:
            lines += ["", f"Endless loops ({len(proof.traps)}): from here no ending can ever be reached"]
            for f in proof.traps:
                lines.append(f"  {f.scene} ({story.scenes[f.scene].pos}); there: {f.values or 'no values matter'}")
                lines.append(f"    goes round: {', '.join(f.loop)}")
                lines += _route_lines(f.route, play, "    ")
        else:
            lines.append("Endless loops: none (an ending stays reachable from every state)")
    proved = "" if proof.complete else " (proved)"
    lines += ["", f"Choices never enabled{proved}: {len(proof.never_enabled) or 'none'}"]
    for sid, n in proof.never_enabled:
        c = story.scenes[sid].choices[n]
        lines.append(f"  {c.pos}: {sid} choice {n + 1} '{c.text.plain or '...'}'"
                     + (f" if: {c.condition.source}" if c.condition else ""))
    lines.append(f"Scenes never reached{proved}: {len(proof.unreached) or 'none'}")
    lines.extend(f"  {story.scenes[sid].pos}: {sid}" for sid in proof.unreached)
    if proof.undecided_scenes or proof.undecided_choices:
        lines.append(f"Undecided within the bound: {len(proof.undecided_scenes)} scenes, "
                     f"{len(proof.undecided_choices)} choices")
        lines.extend(f"  scene {sid}" for sid in proof.undecided_scenes)
        lines.extend(f"  {story.scenes[s].choices[n].pos}: {s} choice {n + 1}" for s, n in proof.undecided_choices)
    return "\n".join(lines) + "\n"
