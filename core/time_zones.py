"""Time zones by their IANA names (Europe/Madrid, Asia/Tokyo): the ones this machine's zone database knows."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_ZONE_NAME = 64  # the longest IANA name is 32 characters


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def validate_time_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ValidationError(_("“%(name)s” is not a known time zone."), code="time_zone", params={"name": name})
