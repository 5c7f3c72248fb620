"""Called scenes as a graph: the scenes each frame can walk through, and where a `return` can lead.

A run inside a called scene walks through scenes by `goto`, ways, random
outcomes and `next`, and comes back from nested calls to their `goto` (or the
calling scene); everything it can reach that way, conditions ignored, is the
called scene's *body*. A `return` in a scene of the body of `C` leads to the
scene after one of the calls of `C`, so the checks (`zone.validate`) and the
tools that reason over every state (`zone.author`) need no more than this.
"""

from __future__ import annotations

from zone.model import Choice, Scene, Story

__all__ = ["body", "return_targets", "within"]


def within(scene: Scene, choice: Choice) -> tuple[str, ...]:
    """Where `choice` leads within the same frame: a call comes back to its `after` (or this scene)."""
    if choice.returns:
        return ()
    if choice.call is not None:
        return (choice.call.after or scene.id,)
    return choice.targets


def body(story: Story, root: str) -> dict[str, str | None]:
    """The scenes a frame entered at `root` can walk through before it returns, each with the scene it
    is first reached from (None for `root`), breadth first, so that the chain back is a shortest one."""
    parent: dict[str, str | None] = {root: None}
    todo = [root]
    for sid in todo:
        scene = story.scenes[sid]
        for choice in scene.choices:
            for target in within(scene, choice):
                if target not in parent and target in story.scenes:
                    parent[target] = sid
                    todo.append(target)
    return parent


def return_targets(story: Story) -> dict[str, tuple[str, ...]]:
    """For each scene in the body of some called scene, the scenes its returns can lead to: the scene after
    each call of every called scene whose body holds it. Scenes outside every body are left out."""
    after: dict[str, dict[str, None]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.call is not None and choice.call.scene in story.scenes:
                after.setdefault(choice.call.scene, {})[choice.call.after or scene.id] = None
    out: dict[str, dict[str, None]] = {}
    for callee, points in after.items():
        for sid in body(story, callee):
            out.setdefault(sid, {}).update(points)
    return {sid: tuple(points) for sid, points in out.items()}
