"""`python -m zone` runs the same program as the `zone` command."""

from zone.cli import run

run()
