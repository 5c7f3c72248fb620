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

from zone.calls import body
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
    """The call checks (ZN051, ZN052, ZN053); nothing to do, and nothing spent, in a pack without calls."""
    calls = [(scene.id, choice) for scene in story.scenes.values() for choice in scene.choices
             if choice.call is not None and choice.call.scene in story.scenes]
    returns = any(choice.returns for scene in story.scenes.values() for choice in scene.choices)
    if (not calls and not returns) or story.start not in story.scenes:
        return []
    diags: list[Diagnostic] = []
    bodies = {story.start: body(story, story.start)}
    top = bodies[story.start]
    for sid in top:
        for choice in story.scenes[sid].choices:
            if choice.returns:
                diags.append(make("ZN052", choice.pos, name=sid, how=_chain(top, sid)))
    for _, choice in calls:
        assert choice.call is not None
        callee = choice.call.scene
        if callee not in bodies:
            bodies[callee] = body(story, callee)
            if not any(story.scenes[s].ending is not None or any(c.returns for c in story.scenes[s].choices)
                       for s in bodies[callee]):
                diags.append(make("ZN053", story.scenes[callee].pos, name=callee))
    graph = {root: [(c.call.scene, c.call.pos) for s in frame for c in story.scenes[s].choices if c.call is not None
                    and c.call.scene in story.scenes] for root, frame in bodies.items()}
    diags.extend(_call_chains(story, graph))
    return diags


def _call_chains(story: Story, graph: dict[str, list[tuple[str, Position]]]) -> list[Diagnostic]:
    """Each loop of calls (at the call that closes it), and else a chain of calls from the start longer than
    `max_call_depth` (at the first call past it). A depth-first walk with its own stack."""
    diags: list[Diagnostic] = []
    status: dict[str, bool] = {story.start: True}  # True while on the path, False once done
    longest: dict[str, tuple[int, tuple[str, Position] | None]] = {}  # calls below a frame, and the first of them
    path, stack = [story.start], [iter(graph[story.start])]
    loops: set[str] = set()
    while stack:
        step = next(stack[-1], None)
        if step is None:
            done = path.pop()
            stack.pop()
            status[done] = False
            longest[done] = max(((longest[c][0] + 1, (c, p)) for c, p in graph[done] if c in longest),
                                default=(0, None), key=lambda item: item[0])
            continue
        callee, pos = step
        if status.get(callee) is True:
            chain = " -> ".join([*path[path.index(callee):], callee])
            if chain not in loops:  # two calls of one frame may close the same loop
                loops.add(chain)
                diags.append(make("ZN051", pos, problem="called scenes call one another in a loop, so the calls "
                                                        "would never end", chain=chain))
        elif callee not in status:
            status[callee] = True
            path.append(callee)
            stack.append(iter(graph[callee]))
    limit = story.max_call_depth
    if diags or longest[story.start][0] <= limit:
        return diags
    frames, at, past = [story.start], story.start, None
    while (nxt := longest[at][1]) is not None:
        at = nxt[0]
        frames.append(at)
        if len(frames) == limit + 2:
            past = nxt[1]
    assert past is not None
    return [make("ZN051", past, problem=f"calls nest deeper than max_call_depth ({limit})",
                 chain=" -> ".join(frames))]
