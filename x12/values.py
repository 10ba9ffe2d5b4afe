"""Element value conversion: X12 decimal amounts (R type) and dates, with small caches.

Amounts and dates repeat a lot in an 835 (0, 0.00, the same service dates), so converted
values are cached by their text; ``Decimal`` and ``date`` are immutable, so sharing is safe.
The ``*_or_none`` functions return ``None`` for anything invalid (the caller raises with the
segment context); they never raise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .errors import X12ParseError

CACHE_MAX = 4096

amount_cache: dict[str, Decimal] = {}
date_cache: dict[str, date] = {}


def amount_or_none(text: str) -> Decimal | None:
    """Decimal for an X12 R value ("-9.00", ".5", "100"); None when empty or invalid.

    Only an optional minus sign, ASCII digits and at most one decimal point are accepted:
    no exponent, no grouping commas, no NaN/Infinity, no spaces, no plus sign.
    """
    value = amount_cache.get(text)
    if value is not None:
        return value
    digits = text[1:] if text[:1] == "-" else text
    digits = digits.replace(".", "", 1)
    if not (digits.isdigit() and digits.isascii()):
        return None
    value = Decimal(text)
    if len(amount_cache) >= CACHE_MAX:
        amount_cache.clear()
    amount_cache[text] = value
    return value


def date_or_none(text: str) -> date | None:
    """date for CCYYMMDD; None when empty or not a valid calendar date from 1900 on.

    Years before 1900 cannot occur in a claim payment (e.g. the "11111111" placeholder).
    """
    value = date_cache.get(text)
    if value is not None:
        return value
    if len(text) != 8 or not (text.isdigit() and text.isascii()) or text < "19":
        return None
    try:
        value = date.fromisoformat(text)  # 8 ASCII digits: the basic format YYYYMMDD
    except ValueError:
        return None
    if len(date_cache) >= CACHE_MAX:
        date_cache.clear()
    date_cache[text] = value
    return value


def short_date_or_none(text: str) -> date | None:
    """date for YYMMDD (ISA09); years 70-99 are 19YY, 00-69 are 20YY."""
    if len(text) != 6 or not (text.isdigit() and text.isascii()):
        return None
    year = int(text[:2])
    year += 1900 if year >= 70 else 2000
    try:
        return date(year, int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


def bad_value(
    segment_number: int, segment_id: str, element: int, expected: str, text: str
) -> X12ParseError:
    return X12ParseError(
        None if text else "required element is empty",
        segment_number=segment_number,
        segment_id=segment_id,
        element=element,
        expected=expected,
        found=text if text else None,
    )


AMOUNT = "a decimal amount"
DATE = "a date CCYYMMDD"


def amount(text: str, segment_number: int, segment_id: str, element: int) -> Decimal:
    """Required amount: raise X12ParseError when missing or invalid."""
    value = amount_or_none(text)
    if value is None:
        raise bad_value(segment_number, segment_id, element, AMOUNT, text)
    return value


def optional_amount(
    text: str, segment_number: int, segment_id: str, element: int
) -> Decimal | None:
    if not text:
        return None
    value = amount_or_none(text)
    if value is None:
        raise bad_value(segment_number, segment_id, element, AMOUNT, text)
    return value


def lenient_date(
    text: str, segment_number: int, segment_id: str, element: int, warnings: list[str]
) -> date | None:
    """An optional date: an invalid one is a warning and reads as missing, because a bad
    date never makes the money in a remittance wrong, and real files carry them."""
    if not text:
        return None
    value = date_or_none(text)
    if value is None:
        warnings.append(
            f"segment {segment_number} ({segment_id}), element {element:02d}: "
            f"expected {DATE}, found {text[:40]!r}; date left empty"
        )
    return value


def line_amount(
    text: str, segment_number: int, segment_id: str, element: int, warnings: list[str]
) -> Decimal:
    """A service line's charge or payment: missing reads as 0 with a warning (some payers
    send informational lines without amounts); present but malformed still raises."""
    if not text:
        warnings.append(
            f"segment {segment_number} ({segment_id}), element {element:02d}: "
            "required amount is empty; read as 0"
        )
        return Decimal("0")
    return amount(text, segment_number, segment_id, element)
