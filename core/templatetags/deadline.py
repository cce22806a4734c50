"""A deadline as the reader and the program both read it: `{% deadline moment program %}` gives the moment in the
reader's zone and language with the zone's name, and, when the program keeps another zone, the program's time
too: "5 December 2026 18:00 JST (program time: 5 December 2026 10:00 CET)"."""

import datetime as dt
import zoneinfo

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from core.templatetags.when import when

register = template.Library()


def deadline_text(moment: dt.datetime, program_zone: str | None) -> str:
    """The moment in the active zone, and in `program_zone` when that zone's clock reads differently."""
    reader = when(moment)
    if not program_zone or not timezone.is_aware(moment):
        return reader
    zone = zoneinfo.ZoneInfo(program_zone)
    if moment.astimezone(zone).utcoffset() == timezone.localtime(moment).utcoffset():
        return reader
    with timezone.override(zone):
        program = when(moment)
    return gettext("%(local)s (program time: %(program)s)") % {"local": reader, "program": program}


@register.simple_tag
def deadline(moment: dt.datetime | None, program=None) -> str:
    """`program` is anything with a `time_zone` (a Program), or the zone's name itself."""
    if not moment:
        return ""
    zone = getattr(program, "time_zone", program)
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), deadline_text(moment, zone))
