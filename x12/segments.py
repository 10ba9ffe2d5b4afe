"""Small element helpers shared by the transaction set walkers."""

from __future__ import annotations

PAD = [""] * 32


def padded(e: list[str], size: int) -> list[str]:
    """``e`` with empty strings appended up to ``size`` elements (a new list when padded)."""
    return e + PAD[: size - len(e)] if len(e) < size else e


def element(e: list[str], index: int) -> str:
    """Element ``index`` of a split segment, or "" when the segment is shorter."""
    return e[index] if index < len(e) else ""


def components(text: str, component: str, size: int) -> list[str]:
    """A composite's components, padded to ``size``."""
    parts = text.split(component)
    return parts + PAD[: size - len(parts)] if len(parts) < size else parts
