"""Tools for authors of scene packs: lint, stats, graph, playtest, prove, replay, schema, scaffold.

Everything here reads a compiled `Story` and never changes it. The tools that
take many steps (`playtest`, `prove`) share one fast stepper, `machine.Machine`,
which runs the engine's own compiled closures.
"""
