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

__all__ = ["body", "components", "return_targets", "within"]


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


def components(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of a graph (Tarjan's, with its own stack, so that a long chain
    cannot exhaust Python's), each a list of nodes, in reverse topological order: a component comes
    before every component that leads to it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    held: list[str] = []
    out: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        held.append(root)
        on.add(root)
        work = [(root, iter(edges.get(root, ())))]
        while work:
            node, todo = work[-1]
            nxt = next(todo, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    held.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(edges.get(nxt, ()))))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    top = held.pop()
                    on.discard(top)
                    part.append(top)
                    if top == node:
                        break
                out.append(part)
    return out


def return_targets(story: Story) -> dict[str, tuple[str, ...]]:
    """For each scene in the body of some called scene, the scenes its returns can lead to: the scene after
    each call of every called scene whose body holds it. Scenes outside every body are left out.

    Worked out over the components of the scenes' within-frame links, so that scenes that reach one
    another share one answer: linear in the pack, but for the answers themselves."""
    after: dict[str, dict[str, None]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.call is not None and choice.call.scene in story.scenes:
                after.setdefault(choice.call.scene, {})[choice.call.after or scene.id] = None
    if not after:
        return {}
    edges = {sid: [t for c in scene.choices for t in within(scene, c) if t in story.scenes]
             for sid, scene in story.scenes.items()}
    parts = components(list(story.scenes), edges)
    part_of = {sid: n for n, part in enumerate(parts) for sid in part}
    into: list[dict[str, None]] = [{} for _ in parts]  # return points that flow into each component
    for n in range(len(parts) - 1, -1, -1):  # from the components nothing leads to, onwards
        mine = into[n]
        for sid in parts[n]:
            mine.update(after.get(sid, {}))
        for sid in parts[n]:
            for target in edges[sid]:
                m = part_of[target]
                if m != n:
                    into[m].update(mine)
    shared = [tuple(points) for points in into]
    return {sid: shared[part_of[sid]] for sid in story.scenes if shared[part_of[sid]]}
