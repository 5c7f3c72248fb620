"""Checks that need the whole compiled story graph: reachability and dead ends.

Unknown targets and a missing start are found earlier, by the compiler, where
the exact position of the offending value is still at hand.
"""

from __future__ import annotations

from zone.diagnostics import Diagnostic, make
from zone.model import Story

__all__ = ["reachable_scenes", "validate"]


def reachable_scenes(story: Story) -> set[str]:
    """Scenes reachable from the start by following every choice, ignoring conditions."""
    seen = {story.start} if story.start in story.scenes else set()
    todo = list(seen)
    while todo:
        scene = story.scenes[todo.pop()]
        for choice in scene.choices:
            for target in choice.targets:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
    return seen


def validate(story: Story) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for scene in story.scenes.values():
        if scene.ending is None and not scene.choices:
            diags.append(make("ZN020", scene.pos, name=scene.id))
    reached = reachable_scenes(story)
    for scene in story.scenes.values():
        if scene.id not in reached:
            diags.append(make("ZN019", scene.pos, name=scene.id))
    return diags
