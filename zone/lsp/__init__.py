"""`zone lsp`: the language server for scene packs, for editors.

Only `server.py` (the packs being worked on) and `handlers.py` (each request) talk
the protocol, through pygls, the `lsp` extra; the other modules read a pack as
the editor holds it and answer in plain values: `packview`
(the pack checked with the unsaved buffers, and where each scene is defined and
named), `cursor` (what the cursor stands in: a scene reference, an expression,
inline text) and `answers` (completion, hover, definitions, rename, outline).
"""
