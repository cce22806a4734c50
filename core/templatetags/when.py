"""Times as the reader reads them: `{{ moment|when }}` is the date and time in the active time zone (the reader's, set
per request) in the active language's format, with the zone's name; `{{ moment|day }}` is the date alone."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format

register = template.Library()


@register.filter
def when(value: dt.datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_format(local, get_format('DATETIME_FORMAT'))} {date_format(local, 'T')}".strip()


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, get_format("DATE_FORMAT"))
