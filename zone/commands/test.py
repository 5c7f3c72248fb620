"""`zone test [PACK] [--bless] [--json]`: replay the recorded runs in the pack's tests/ folder (story tests).

Exit 0 when every run reads as its blessed transcript, 1 when one differs, has no
blessed copy yet, or cannot be replayed. `--bless` accepts the transcripts as they
are now (a run that cannot be replayed is never blessed, and still fails).
"""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path
from typing import Any

from zone.author.skein import TESTS_FOLDER, Outcome, StoryTest, bless, find_tests, run_test
from zone.commands._pack import add_pack_argument, chosen_pack
from zone.engine import Engine
from zone.environment import Environment, program_name
from zone.errors import ZoneError
from zone.pack import display_name, load_pack
from zone.status import ExitStatus

__all__ = ["configure", "run"]

_LABELS = {Outcome.PASSED: "ok", Outcome.CHANGED: "CHANGED", Outcome.NEW: "NEW", Outcome.BROKEN: "BROKEN",
           Outcome.UNREADABLE: "UNREADABLE"}


def configure(parser: argparse.ArgumentParser) -> None:
    add_pack_argument(parser)
    parser.add_argument("--bless", action="store_true",
                        help="accept the transcripts as they are now: write each blessed copy (NAME.txt)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON, for tools")


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    pack = chosen_pack(args.pack, env)
    story = load_pack(pack, env.cache)
    engine = Engine(story)
    tests = [run_test(engine, path) for path in find_tests(pack)]
    blessed = {t.replay_file for t in tests if args.bless and t.outcome.blessable and _bless(t)}
    failed = [t for t in tests if not t.passed and t.replay_file not in blessed]
    if args.json:
        print(json.dumps(_data(pack, tests, blessed), indent=2), file=env.stdout)
    else:
        env.stdout.write(_text(env, pack, args.pack, tests, blessed))
    return ExitStatus.ERROR if failed else ExitStatus.OK


def _bless(test: StoryTest) -> bool:
    try:
        bless(test)
    except OSError as exc:
        raise ZoneError(f"cannot write {display_name(test.blessed_file)}: {exc.strerror or exc}") from None
    return True


def _status(test: StoryTest, blessed: set[Path]) -> str:
    return "blessed" if test.replay_file in blessed else test.outcome.value


def _data(pack: Path, tests: list[StoryTest], blessed: set[Path]) -> dict[str, Any]:
    rows = [{"replay": display_name(t.replay_file), "blessed_file": display_name(t.blessed_file),
             "status": _status(t, blessed), "diff": t.diff() or None, "problem": t.problem or None} for t in tests]
    passed = sum(1 for t in tests if t.passed)
    return {"pack": display_name(pack), "tests": rows, "passed": passed, "blessed": len(blessed),
            "failed": len(tests) - passed - len(blessed)}


def _text(env: Environment, pack: Path, named: Path | None, tests: list[StoryTest], blessed: set[Path]) -> str:
    zone = program_name(env)
    where = f" {shlex.quote(display_name(named))}" if named is not None else ""
    if not tests:
        return (f"No story tests in {display_name(pack / TESTS_FOLDER)}: record a run while playing with "
                f"':transcript {TESTS_FOLDER}/NAME.json', then bless it with '{zone} test{where} --bless'.\n")
    lines = []
    for t in tests:
        if t.replay_file in blessed:
            lines.append(f"blessed  {display_name(t.blessed_file)}")
        elif t.outcome in (Outcome.BROKEN, Outcome.UNREADABLE):
            lines.append(f"{_LABELS[t.outcome]:<8} {t.problem}")
        elif t.outcome is Outcome.NEW:
            lines.append(f"{'NEW':<8} {display_name(t.replay_file)}: no blessed transcript "
                         f"{display_name(t.blessed_file)} yet")
        else:
            lines.append(f"{_LABELS[t.outcome]:<8} {display_name(t.replay_file)}")
            lines.extend(t.diff().rstrip("\n").splitlines())
    passed = sum(1 for t in tests if t.passed)
    failed = len(tests) - passed - len(blessed)
    summary = f"{len(tests)} story test{'s' * (len(tests) != 1)}: {passed} passed"
    summary += f", {len(blessed)} blessed" if blessed else ""
    summary += f", {failed} failed" if failed else ""
    lines.append(summary)
    if any(t.outcome.blessable and t.replay_file not in blessed for t in tests):
        lines.append(f"If the new transcripts are right, accept them with '{zone} test{where} --bless'.")
    return "\n".join(lines) + "\n"
