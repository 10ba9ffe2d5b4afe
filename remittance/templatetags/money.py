from django import template

from remittance.formatting import money as format_money

register = template.Library()


@register.filter
def money(value, places=2):
    """``{{ amount|money }}`` → ``-$23,635.07``; ``{{ amount|money:0 }}`` → ``-$23,635``."""
    return format_money(value, places)
