"""The terminal front end: what a player sees and types.

- `game`: the game loop (choices, in-game commands, autosave, endings, `--watch`);
  it talks only to a `View` and a `Reader` (`view`).
- `plain`: the plain view and line reader (pipes, `TERM=dumb`, screen readers); no rich, no prompt_toolkit.
- `render` (rich renderables) and `richview` (the rich view, `RichView`); `prompt`: prompt_toolkit input.
- `ingame`: the typed `:command` table and parser; `watch`: pack reloads; `signals`: SIGTERM/SIGHUP.
"""
