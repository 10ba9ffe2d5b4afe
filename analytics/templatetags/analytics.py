from django import template

from ..tables import num, pct

register = template.Library()


@register.filter
def percent(value):
    return pct(value)


@register.filter
def figure(value, unit="rate"):
    """A metric's value as shown: a percentage for a rate, else days."""
    if value is None:
        return "no data"
    return pct(value) if unit == "rate" else f"{num(value)} days"


@register.filter
def signed(change, unit="rate"):
    """A change from the previous period: "+1.2 pts" or "-3.0 days"."""
    if change is None:
        return "–"
    if unit == "rate":
        return f"{change * 100:+.1f} pts"
    return f"{change:+.1f} days"
