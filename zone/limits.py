"""How long a run may be: the bounds shared by a run being played and the save body that stores it.

They live apart from `zone.run` so that the save format can check a body against
them without importing the runtime.
"""

from __future__ import annotations

__all__ = ["MAX_CHOICES", "UNDO_LIMIT"]

UNDO_LIMIT = 128  # earlier states a run keeps for undo
MAX_CHOICES = 100_000  # far more than anyone plays; a save replays them all when it loads
