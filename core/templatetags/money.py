"""`{% load money %}{{ amount|money:currency }}`: an amount in the reader's locale with its currency."""

from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    if not currency:
        return "" if amount is None else str(amount)
    return format_money(amount, currency)
