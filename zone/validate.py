"""Checks that need the whole compiled story graph: reachability, dead ends, oversized scenes, and calls.

Calls are checked statically, with conditions ignored, so that no run can meet
them going wrong: the scenes a frame can walk through without a call or a
return (its *body*) are found from the start and from each called scene; a
`return` in the start's body could run with nothing to return to, a called
scene whose body holds no `return` and no ending never returns, and the calls
made from each body form a graph that must have no loop and no chain longer
than the pack's `max_call_depth`.

Unknown targets and a missing start are found earlier, by the compiler, where
the exact position of the offending value is still at hand.
"""

from __future__ import annotations

from zone.calls import body, components, within
from zone.diagnostics import Diagnostic, Position, make
from zone.model import Story, ways_on

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
    diags.extend(check_calls(story))
    reached = reachable_scenes(story)
    for scene in story.scenes.values():
        if scene.id not in reached:
            diags.append(make("ZN019", scene.pos, name=scene.id))
    return diags


def _automatic_loops(story: Story) -> list[Diagnostic]:
    """Each loop of scenes that go on by themselves (`next`), which would never stop: one error per loop,
    at the `next` of the scene where the loop is first met. A walk with its own stack, so that a long
    chain of such scenes cannot exhaust Python's."""
    auto = {sid: [t for t in ways_on(scene.choices[0], ()) if t in story.scenes]
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


def _chain(parent: dict[str, str | None], sid: str) -> str:
    names = []
    at: str | None = sid
    while at is not None:
        names.append(at)
        at = parent[at]
    return " -> ".join(reversed(names))


def check_calls(story: Story) -> list[Diagnostic]:
    """The call checks (ZN051, ZN052, ZN053), each linear in the pack; nothing to do in a pack without calls."""
    calls = [(scene.id, choice) for scene in story.scenes.values() for choice in scene.choices
             if choice.call is not None and choice.call.scene in story.scenes]
    returns = any(choice.returns for scene in story.scenes.values() for choice in scene.choices)
    if (not calls and not returns) or story.start not in story.scenes:
        return []
    diags: list[Diagnostic] = []
    top = body(story, story.start)
    for sid in top:
        for choice in story.scenes[sid].choices:
            if choice.returns:
                diags.append(make("ZN052", choice.pos, name=sid, how=_chain(top, sid)))
    edges = {sid: [t for c in scene.choices for t in within(scene, c) if t in story.scenes]
             for sid, scene in story.scenes.items()}
    comes_back = _reaching(story, edges)
    reported: set[str] = set()
    for _, choice in calls:
        assert choice.call is not None
        callee = choice.call.scene
        if callee not in comes_back and callee not in reported:
            reported.add(callee)
            diags.append(make("ZN053", story.scenes[callee].pos, name=callee))
    diags.extend(_call_chains(story, edges))
    return diags


def _reaching(story: Story, edges: dict[str, list[str]]) -> set[str]:
    """The scenes from which a `return` or an ending can be reached within their frame."""
    back: dict[str, list[str]] = {}
    for sid, targets in edges.items():
        for target in targets:
            back.setdefault(target, []).append(sid)
    todo = [sid for sid, scene in story.scenes.items()
            if scene.ending is not None or any(c.returns for c in scene.choices)]
    seen = set(todo)
    for sid in todo:
        for before in back.get(sid, ()):
            if before not in seen:
                seen.add(before)
                todo.append(before)
    return seen


def _call_chains(story: Story, edges: dict[str, list[str]]) -> list[Diagnostic]:
    """Calls that loop (one error for each group of scenes they loop through, at the call back into it),
    and else a chain of calls from the start longer than `max_call_depth` (at the first call past it).

    Over the scenes a run can walk through from the start, calls and the scene after each call alike:
    the number of calls along such a walk is the depth of the stack, so a loop with a call in it never
    ends, and without one the deepest chain is a longest path over the groups of scenes that reach one
    another."""
    graph: dict[str, list[tuple[str, Position | None]]] = {
        sid: [(t, None) for t in targets] for sid, targets in edges.items()}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.call is not None and choice.call.scene in story.scenes:
                graph[scene.id].append((choice.call.scene, choice.call.pos))
    order = {story.start: 0}  # breadth first from the start: how soon each scene can be met
    todo = [story.start]
    for sid in todo:
        for target, _ in graph[sid]:
            if target not in order:
                order[target] = len(order)
                todo.append(target)
    parts = components(todo, {sid: [t for t, _ in graph[sid]] for sid in todo})
    part_of = {sid: n for n, part in enumerate(parts) for sid in part}
    diags: list[Diagnostic] = []
    for n, part in enumerate(parts):
        inner = [(sid, target, pos) for sid in part for target, pos in graph[sid]
                 if pos is not None and part_of[target] == n]
        if inner:  # the call back into the loop where it is first met
            sid, target, pos = max(inner, key=lambda e: (-order[e[1]], order[e[0]]))
            loop = _path_within(graph, part_of, n, target, sid)
            diags.append(make("ZN051", pos, problem="called scenes call one another in a loop, so the calls "
                                                    "would never end", chain=" -> ".join([*loop, target])))
    return diags or _too_deep(story, graph, parts, part_of)


def _too_deep(story: Story, graph: dict[str, list[tuple[str, Position | None]]], parts: list[list[str]],
              part_of: dict[str, int]) -> list[Diagnostic]:
    """The deepest chain of calls, a longest path over the groups (which hold no call): an error when it
    is longer than `max_call_depth`, at the first call past it."""
    limit = story.max_call_depth
    start = part_of[story.start]
    best: list[tuple[int, int, tuple[str, Position] | None]] = [(-1, -1, None)] * len(parts)
    best[start] = (0, -1, None)  # (calls on the way, the group before, the call that led here)
    for n in range(len(parts) - 1, -1, -1):  # from the start's group onwards: every way in is known first
        depth = best[n][0]
        for sid in parts[n]:
            for target, pos in graph[sid]:
                m = part_of[target]
                gain = depth + (pos is not None)
                if m != n and gain > best[m][0]:
                    best[m] = (gain, n, None if pos is None else (target, pos))
    deepest = max(range(len(parts)), key=lambda n: best[n][0])
    if best[deepest][0] <= limit:
        return []
    steps: list[tuple[str, Position]] = []
    n = deepest
    while n != start:
        _, n, call = best[n]
        if call is not None:
            steps.append(call)
    steps.reverse()
    return [make("ZN051", steps[limit][1], problem=f"calls nest deeper than max_call_depth ({limit})",
                 chain=" -> ".join([story.start, *(callee for callee, _ in steps)]))]


def _path_within(graph: dict[str, list[tuple[str, Position | None]]], part_of: dict[str, int], n: int,
                 source: str, goal: str) -> list[str]:
    """A shortest way from `source` to `goal` inside group `n`, both ends included."""
    parent: dict[str, str | None] = {source: None}
    todo = [source]
    for sid in todo:
        if sid == goal:
            break
        for target, _ in graph[sid]:
            if target not in parent and part_of.get(target) == n:
                parent[target] = sid
                todo.append(target)
    way: list[str] = []
    at: str | None = goal
    while at is not None:
        way.append(at)
        at = parent[at]
    return way[::-1]
