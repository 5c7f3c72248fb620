"""Synthetic scene packs of any size, so the benchmarks need no data from outside.

Each scene has four choices (one leads back, so a run can go on for ever); a
quarter of the choices carry a condition, most carry effects, and some lead to
weighted random outcomes. Every tenth scene is an ending; the rest always keep
an unconditional way on, so the packs are sound.

`scenes` describes a pack as plain data; `write_pack` writes it as YAML, and
`bench/floor.py` builds its bare state machine from the same data, so both play
exactly the same story.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

__all__ = ["FEATURE_BLOCK", "STATS", "scenes", "write_feature_pack", "write_pack"]

WORDS = tuple(
    "rust rain grass water silence rails trolley wind wire sand dune well stone glass dog nut bandage "
    "light fog ruin tile moss ash field road door room".split(" ")
)

# key: (default, lo, hi); a bool has no range
STATS: dict[str, tuple[int | bool, int, int]] = {
    "hero.faith": (5, 0, 10), "hero.strain": (0, 0, 10), "hero.calm": (True, 0, 1),
    **{f"flags.f{i}": (False, 0, 1) for i in range(8)}, "nuts": (8, 0, 12),
}


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def scenes(count: int, seed: int = 1) -> list[dict[str, Any]]:
    """The scenes of a pack: id, title, passages, ending, on_enter, and choices with their
    text, condition, effects and either a goto or weighted outcomes (weight, goto, effects)."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for i in range(count):
        passages = [f"{_sentence(rng, 14)} {_sentence(rng, 10)}" for _ in range(2)]
        scene: dict[str, Any] = {"id": f"s{i}", "title": f"Scene {i}", "passages": passages, "ending": None,
                                 "on_enter": [], "choices": []}
        out.append(scene)
        if i % 10 == 9 or i == count - 1:
            scene["ending"] = (f"e{i}", f"Ending {i}")
            continue
        nxt, far = f"s{i + 1}", f"s{min(count - 1, i + 2)}"
        scene["on_enter"] = ["hero.strain += 1"]
        scene["choices"] = [
            {"text": f"Walk on to {i + 1}.", "if": None, "do": ["hero.faith += 1"], "goto": nxt},
            {"text": "Throw a nut.", "if": "nuts > 0 and hero.strain < 9", "do": ["nuts -= 1"], "goto": None,
             "random": [(3, nxt, [f"flags.f{i % 8} = true"]), (1, far, [])]},
            {"text": "Take the long way.", "if": None, "do": ["hero.strain -= 1", "hero.calm = not hero.calm"],
             "goto": far},
            {"text": "Go back a while.", "if": None, "do": [], "goto": f"s{max(0, i - 8)}"},
        ]
    return out


def _choice_yaml(choice: dict[str, Any]) -> str:
    out = f"    - text: {choice['text']}\n"
    if choice["if"] is not None:
        out += f"      if: {choice['if']}\n      reason: Not now.\n"
    do = choice["do"]
    if len(do) == 1:
        out += f"      do: {do[0]}\n"
    elif do:
        out += f"      do: [{', '.join(do)}]\n"
    if choice["goto"] is not None:
        return out + f"      goto: {choice['goto']}\n"
    out += "      random:\n"
    for weight, goto, effects in choice["random"]:
        extra = f", do: {effects[0]}" if effects else ""
        out += f"        - {{weight: {weight}, goto: {goto}{extra}}}\n"
    return out


def write_pack(folder: Path, count: int, *, seed: int = 1, per_file: int = 500) -> Path:
    """Write a pack of `count` scenes into `folder` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(
        "id: synthetic\ntitle: Synthetic\nversion: \"1\"\nstart: s0\n"
        "characters:\n  hero:\n    name: Hero\n    stats:\n"
        "      faith: {default: 5, range: [0, 10], about: Faith}\n"
        "      strain: {default: 0, range: [0, 10], about: Strain}\n"
        "      calm: {default: true, about: Calm}\n"
        "flags:\n" + "".join(f"  f{i}: Flag {i}\n" for i in range(8)) +
        "items:\n  nuts: {default: 8, range: [0, 12], about: Nuts}\n", encoding="utf-8")
    pack = scenes(count, seed)
    for start in range(0, count, per_file):
        lines: list[str] = []
        for scene in pack[start:start + per_file]:
            lines.append(f"{scene['id']}:\n  title: {scene['title']}\n  text: |\n")
            lines.extend(f"    {passage}\n\n" for passage in scene["passages"])
            if scene["ending"] is not None:
                lines.append(f"  ending: {{id: {scene['ending'][0]}, title: {scene['ending'][1]}}}\n")
                continue
            lines.append(f"  on_enter: {scene['on_enter'][0]}\n  choices:\n")
            lines.extend(_choice_yaml(c) for c in scene["choices"])
        (folder / f"part{start // per_file:03d}.yaml").write_text("".join(lines), encoding="utf-8")
    return folder


# -- a pack that uses every feature of the language ---------------------------------------------------------

FEATURE_BLOCK = 8  # scenes per block of the feature pack


def _feature_block(k: int, last: bool) -> str:
    """One block of the feature pack: a hub with inline text, a conditional goto, a call, a once-only and a
    random choice; a called talk that calls a tale in turn; a random `next`; a field whose only way on, when
    the nuts run low, is a fallback; and the way on to the next block (or the ending)."""
    b = f"b{k}"
    back = f"b{max(0, k - 1)}_hub"
    onward = "end" if last else f"b{k + 1}_hub"
    return f"""\
{b}_hub:
  title: Hub {k}
  text: |
    {{seq: Rust and rain. | Still the rain. | The rain again.}} {{if hero.faith > 5: You trust the way. | You do
    not trust the way.}} You carry {{plural nuts: nut | nuts}}; the mood is {{mood}}.
    {{cycle: A crow. | Wind. | Nothing.}} {{shuffle: Wire. | Glass. | Moss.}}
  choices:
    - text: "Walk on{{if mood == wary: , warily}}."
      do:
        - if: nuts > 2
          do: [hero.faith += 1]
          else: [mood = wary, hero.strain += 1]
      goto:
        - if: mood == wary
          goto: {b}_wind
        - goto: {b}_path
    - text: Ask about the way.
      once: true
      call: {b}_talk
    - text: Throw a nut.
      if: nuts > 0
      reason: Your pockets are empty.
      do: nuts -= 1
      random:
        - {{weight: 3, goto: {b}_field}}
        - {{weight: 1, goto: {b}_wind, do: mood = afraid}}
    - text: Go back.
      goto: {back}
{b}_talk:
  title: Talk {k}
  text: "He talks{{once: , for the first time, | }} about the way."
  choices:
    - text: Listen.
      do: hero.calm = true
      return: true
    - text: Ask for the story.
      call: {b}_tale
      goto: {b}_talk_end
{b}_tale:
  title: Tale {k}
  text: The tale is short.
  on_enter: hero.faith += 1
  next: return
{b}_talk_end:
  title: After the tale {k}
  text: He is quiet.
  next: {{return: true}}
{b}_wind:
  title: Wind {k}
  text: The wind turns.
  on_enter: mood = calm
  next:
    random:
      - {{weight: 2, goto: {b}_field}}
      - {{weight: 1, goto: {b}_rest}}
{b}_path:
  title: Path {k}
  text: The path bends toward the field.
  next: {b}_field
{b}_field:
  title: Field {k}
  text: "Grass{{if nuts < 2: , and your pockets are light}}."
  choices:
    - text: Cross the field.
      if: nuts > 1
      hidden: true
      do: nuts -= 1
      goto: {onward}
    - text: Rest first.
      fallback: true
      goto: {b}_rest
{b}_rest:
  title: Rest {k}
  text: You rest and tie new nuts.
  on_enter: [nuts += 3, hero.strain -= 1]
  next:
    - if: hero.strain > 5
      goto: {b}_field
    - goto: {b}_hub
"""


def write_feature_pack(folder: Path, blocks: int) -> Path:
    """A pack of `blocks` blocks of `FEATURE_BLOCK` scenes (and one ending) using every feature: inline
    conditions and variations, an enumeration, conditional effects, `next`, conditional and random `next`,
    conditional goto, calls that nest, once-only and fallback choices."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(
        "id: features\ntitle: Features\nversion: \"1\"\nstart: b0_hub\nmax_call_depth: 2\n"
        "characters:\n  hero:\n    name: Hero\n    stats:\n"
        "      faith: {default: 5, range: [0, 10], about: Faith}\n"
        "      strain: {default: 0, range: [0, 10], about: Strain}\n"
        "      calm: {default: true, about: Calm}\n"
        "items:\n  nuts: {default: 4, range: [0, 12], about: Nuts}\n"
        "vars:\n  mood: {values: [calm, wary, afraid], default: calm, about: How the Zone feels}\n",
        encoding="utf-8")
    text = "".join(_feature_block(k, k == blocks - 1) for k in range(blocks))
    text += "end:\n  title: The end\n  text: Across.\n  ending: Across\n"
    (folder / "features.yaml").write_text(text, encoding="utf-8")
    return folder
