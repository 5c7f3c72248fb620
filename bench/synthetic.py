"""Synthetic scene packs of any size, so the benchmarks need no data from outside.

Each scene has four choices (one leads back, so a run can go on for ever); a
quarter of the choices carry a condition, most carry effects, and some lead to
weighted random outcomes. Every tenth scene is an ending; the rest always keep
an unconditional way on, so the packs are sound.
"""

from __future__ import annotations

import random
from pathlib import Path

__all__ = ["write_pack"]

WORDS = tuple(
    "rust rain grass water silence rails trolley wind wire sand dune well stone glass dog nut bandage "
    "light fog ruin tile moss ash field road door room".split(" ")
)


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_pack(folder: Path, scenes: int, *, seed: int = 1, per_file: int = 500) -> Path:
    """Write a pack of `scenes` scenes into `folder` (created) and return it."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(
        "id: synthetic\ntitle: Synthetic\nversion: \"1\"\nstart: s0\n"
        "characters:\n  hero:\n    name: Hero\n    stats:\n"
        "      faith: {default: 5, range: [0, 10], about: Faith}\n"
        "      strain: {default: 0, range: [0, 10], about: Strain}\n"
        "      calm: {default: true, about: Calm}\n"
        "flags:\n" + "".join(f"  f{i}: Flag {i}\n" for i in range(8)) +
        "items:\n  nuts: {default: 8, range: [0, 12], about: Nuts}\n", encoding="utf-8")
    for start in range(0, scenes, per_file):
        lines: list[str] = []
        for i in range(start, min(start + per_file, scenes)):
            lines.append(f"s{i}:\n  title: Scene {i}\n  text: |\n")
            for _ in range(2):
                lines.append(f"    {_sentence(rng, 14)} {_sentence(rng, 10)}\n\n")
            if i % 10 == 9 or i == scenes - 1:
                lines.append(f"  ending: {{id: e{i}, title: Ending {i}}}\n")
                continue
            lines.append("  on_enter: hero.strain += 1\n  choices:\n")
            nxt = i + 1
            far = min(scenes - 1, i + 2)
            lines.append(f"    - text: Walk on to {nxt}.\n      do: hero.faith += 1\n      goto: s{nxt}\n")
            lines.append(f"    - text: Throw a nut.\n      if: nuts > 0 and hero.strain < 9\n"
                         f"      reason: Not now.\n      do: nuts -= 1\n      random:\n"
                         f"        - {{weight: 3, goto: s{nxt}, do: flags.f{i % 8} = true}}\n"
                         f"        - {{weight: 1, goto: s{far}}}\n")
            lines.append(f"    - text: Take the long way.\n      do: [hero.strain -= 1, hero.calm = not hero.calm]\n"
                         f"      goto: s{far}\n")
            lines.append(f"    - text: Go back a while.\n      goto: s{max(0, i - 8)}\n")
        (folder / f"part{start // per_file:03d}.yaml").write_text("".join(lines), encoding="utf-8")
    return folder
