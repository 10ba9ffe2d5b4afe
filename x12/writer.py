"""Shared X12 writing: an interchange envelope around rendered transaction bodies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .tokenizer import Delimiters


def money(value: Decimal | None) -> str:
    """X12 R value: no exponent, no trailing ".00" trimming surprises (Decimal as written)."""
    if value is None:
        return ""
    text = format(value, "f")
    return text


def d8(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def segment(d: Delimiters, *elements: str) -> str:
    """Elements joined by the element separator, trailing empty elements dropped."""
    items = list(elements)
    while items and items[-1] == "":
        items.pop()
    return d.element.join(items)


def composite(d: Delimiters, *parts: str) -> str:
    items = list(parts)
    while items and items[-1] == "":
        items.pop()
    return d.component.join(items)


def interchange(
    bodies: list[list[str]],
    d: Delimiters,
    *,
    functional_id: str,
    version: str,
    when: date,
    sender: str = "SENDER",
    receiver: str = "RECEIVER",
    control: int = 1,
) -> str:
    """ISA/GS .. GE/IEA around transaction bodies (each a list of segments, ST..SE)."""
    isa11 = d.repetition or "U"
    isa12 = "00501" if version.startswith("005") else "00401"
    isa = d.element.join(
        [
            "ISA", "00", " " * 10, "00", " " * 10,
            "ZZ", sender.ljust(15)[:15], "ZZ", receiver.ljust(15)[:15],
            when.strftime("%y%m%d"), "1200", isa11, isa12, f"{control:09d}", "0", "T",
            d.component,
        ]
    )  # fmt: skip
    gs = segment(
        d, "GS", functional_id, sender, receiver, when.strftime("%Y%m%d"), "1200",
        str(control), "X", version,
    )  # fmt: skip
    out = [isa, gs]
    for body in bodies:
        out.extend(body)
    out.append(segment(d, "GE", str(len(bodies)), str(control)))
    out.append(segment(d, "IEA", "1", f"{control:09d}"))
    return "".join(f"{s}{d.segment}" for s in out)


def close(body: list[str], d: Delimiters, control: str) -> list[str]:
    """Append SE with the segment count (ST and SE included)."""
    body.append(segment(d, "SE", str(len(body) + 1), control))
    return body
