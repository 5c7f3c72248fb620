"""`zone saves [--saves DIR]` lists the save slots; `zone saves delete NAME` removes one.

The listing reads only the files' headers, so it needs no pack and works for
saves of every pack in the folder.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from zone._text import one_line
from zone.environment import Environment
from zone.errors import SaveError
from zone.pack import display_name
from zone.saves.slots import CORRUPT, SlotInfo, check_slot_name, delete_slot, folds_to_another_name, list_slots
from zone.status import ExitStatus

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=("list", "delete"), default="list",
                        help="'list' (the default) or 'delete'")
    parser.add_argument("name", nargs="?", help="the slot to delete")
    parser.add_argument("--saves", type=Path, metavar="DIR",
                        help="the saves folder (default: $ZONE_SAVES, else ./saves in a checkout, "
                             "else ~/.local/share/zone/saves)")


def _when(info: SlotInfo) -> str:
    if not info.saved_at:
        return "?"
    return datetime.fromtimestamp(info.saved_at).strftime("%Y-%m-%d %H:%M")


def _table(infos: list[SlotInfo]) -> list[str]:
    rows = [("SLOT", "PACK", "CHAPTER", "SCENE", "TURN", "SAVED")]
    for info in infos:
        rows.append((info.slot, one_line(info.pack), one_line(info.chapter), one_line(info.scene_title),
                     str(info.turn) if info.pack != "?" else "", _when(info)))
    widths = [min(max(len(row[i]) for row in rows), 30) for i in range(6)]
    notes = ["", *(info.note for info in infos)]
    lines = []
    for row, note in zip(rows, notes, strict=True):
        cells = [cell if len(cell) <= widths[i] else cell[:widths[i] - 1] + "~" for i, cell in enumerate(row)]
        line = "  ".join(cell.rjust(widths[i]) if i == 4 else cell.ljust(widths[i]) for i, cell in enumerate(cells))
        lines.append((line + (f"  ({note})" if note else "")).rstrip())
    return lines


def run(args: argparse.Namespace, env: Environment) -> ExitStatus:
    folder: Path = args.saves or env.default_saves()
    if args.action == "delete":
        if not args.name:
            raise SaveError("say which slot to delete: zone saves delete NAME")
        slot = check_slot_name(args.name)
        if folds_to_another_name(args.name):
            raise SaveError(f"'{args.name}' is written '{slot}' in slot names; to delete slot '{slot}', "
                            f"name it as it is written: zone saves delete {slot}")
        delete_slot(folder, slot)
        print(f"Deleted slot '{slot}'.", file=env.stdout)
        return ExitStatus.OK
    if args.name:
        raise SaveError(f"'zone saves' lists every slot; to delete one: zone saves delete {args.name}")
    infos = list_slots(folder)
    if not infos:
        print(f"No saves in {display_name(folder)}.", file=env.stdout)
    else:
        print(f"Saves in {display_name(folder)}:", file=env.stdout)
        for line in _table(infos):
            print(line, file=env.stdout)
    corrupt = folder / CORRUPT
    try:
        damaged = sum(1 for p in corrupt.iterdir() if p.is_file())
    except OSError:
        damaged = 0
    if damaged:
        files = f"{damaged} damaged save file{'s' * (damaged != 1)}"
        print(f"{files} kept in {display_name(corrupt)}.", file=env.stdout)
    return ExitStatus.OK
