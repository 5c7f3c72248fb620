"""Checks that need the whole compiled story graph: reachability, dead ends, oversized scenes.

Unknown targets and a missing start are found earlier, by the compiler, where
the exact position of the offending value is still at hand.
"""

from __future__ import annotations

from zone.diagnostics import Diagnostic, make
from zone.model import Story

__all__ = ["MAX_CHOICES", "reachable_scenes", "validate"]

# More choices than this in one scene are more than a player can read, and every
# frame of the scene evaluates each of them.
MAX_CHOICES = 100


def reachable_scenes(story: Story) -> set[str]:
    """Scenes reachable from the start by following every choice, ignoring conditions.

    A target that is not a scene of the story (a partial story, read from a pack
    with errors) is a dead end here, never a failure.
    """
    seen = {story.start} if story.start in story.scenes else set()
    todo = list(seen)
    while todo:
        for choice in story.scenes[todo.pop()].choices:
            for target in choice.targets:
                if target not in seen and target in story.scenes:
                    seen.add(target)
                    todo.append(target)
    return seen


def validate(story: Story) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for scene in story.scenes.values():
        if scene.ending is None and not scene.choices:
            diags.append(make("ZN020", scene.pos, name=scene.id))
        if len(scene.choices) > MAX_CHOICES:
            diags.append(make("ZN040", scene.pos, name=scene.id, count=len(scene.choices), limit=MAX_CHOICES))
    reached = reachable_scenes(story)
    for scene in story.scenes.values():
        if scene.id not in reached:
            diags.append(make("ZN019", scene.pos, name=scene.id))
    return diags
