"""Tools for authors of scene packs: lint, stats, graph, playtest, prove, replay, schema, scaffold.

Everything here reads a compiled `Story` and never changes it. The tools that
take many steps (`playtest`, `prove`) drive the engine itself through its
lower-level doors (`Engine.holds`, `options`, `take`, `paths`).
"""
