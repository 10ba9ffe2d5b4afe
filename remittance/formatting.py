"""How amounts read everywhere (pages, explanations, notes): ``-$23,635.07``."""

from decimal import Decimal, InvalidOperation


def money(value, places: int = 2) -> str:
    """Dollars with thousands separators and the sign before the dollar sign; an empty
    value reads as a dash."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.{int(places)}f}"
