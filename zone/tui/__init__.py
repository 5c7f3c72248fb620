"""The terminal front end: rich rendering, prompt_toolkit input, and a plain line mode."""
