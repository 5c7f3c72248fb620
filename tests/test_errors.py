"""Zone's exceptions: one hierarchy, each error carrying the exit status `zone` ends with."""

from __future__ import annotations

import inspect

import zone.errors
from zone.errors import CommandError, PackError, SaveError, UsageError, ZoneError
from zone.status import ExitStatus


def test_every_error_carries_an_exit_status() -> None:
    errors = [c for _, c in inspect.getmembers(zone.errors, inspect.isclass) if issubclass(c, ZoneError)]
    assert set(zone.errors.__all__) == {c.__name__ for c in errors}
    assert all(isinstance(c.status, ExitStatus) for c in errors)
    assert UsageError.status is ExitStatus.USAGE
    assert SaveError.status is PackError.status is CommandError.status is ExitStatus.ERROR
