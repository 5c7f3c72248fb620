"""Author text for the front ends: the sanitiser and narration paragraphs.

`clean` is Zone's one sanitiser (`zone/_text.py`); the plain and the rich front
ends use it on every piece of author text. This module imports nothing heavy:
plain mode uses it without rich.
"""

from __future__ import annotations

from zone._text import clean

__all__ = ["clean", "paragraphs"]


def paragraphs(text: str) -> list[str]:
    """The paragraphs of narration, each on one line with single spaces."""
    return [" ".join(p.split()) for p in clean(text).split("\n\n") if p.strip()]
