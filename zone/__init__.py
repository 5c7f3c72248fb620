"""Zone: a choice-based text-adventure engine for the terminal."""

__all__ = ["__version__"]

__version__ = "0.1.0"
