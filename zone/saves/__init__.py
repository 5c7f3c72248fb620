"""Everything Zone keeps on disk between runs of the program.

- `slots`: named saves, the autosave and recovery from damaged files (`SaveStore`).
- `savefile`: the save file's bytes: header, checksum, versions and their upgrades.
- `body`: a save's body, built from a run and read back with every field checked.
- `patches`: the undo history stored as small patches between states.
- `restore`: a run rebuilt from a body against the pack as it is now.
- `records`: the endings a player has found, one small file per saves folder.
- `replayfile`: replay files, a whole run in one small JSON file.

The byte formats (`savefile`, `body`, `patches`, `replayfile`) never import the runtime (`zone.run`,
`zone.engine`); `slots` and `restore` join the two. All files are written through `zone.atomic`.
"""
