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
    diags.extend(_automatic_loops(story))
    reached = reachable_scenes(story)
    for scene in story.scenes.values():
        if scene.id not in reached:
            diags.append(make("ZN019", scene.pos, name=scene.id))
    return diags


def _automatic_loops(story: Story) -> list[Diagnostic]:
    """Each loop of scenes that go on by themselves (`next`), which would never stop: one error per loop,
    at the `next` of the scene where the loop is first met. A walk with its own stack, so that a long
    chain of such scenes cannot exhaust Python's."""
    auto = {sid: [t for t in scene.choices[0].targets if t in story.scenes]
            for sid, scene in story.scenes.items() if scene.choices and scene.choices[0].auto}
    status: dict[str, bool] = {}  # True while on the path, False once done
    diags: list[Diagnostic] = []
    for root in auto:
        if root in status:
            continue
        status[root] = True
        path, stack = [root], [iter(auto[root])]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                status[path.pop()] = False
                stack.pop()
            elif target in auto and status.get(target) is True:
                loop = [*path[path.index(target):], target]
                diags.append(make("ZN041", story.scenes[target].choices[0].pos, loop=" -> ".join(loop)))
            elif target in auto and target not in status:
                status[target] = True
                path.append(target)
                stack.append(iter(auto[target]))
    return diags
