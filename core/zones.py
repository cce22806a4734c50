"""Time zones by their IANA names (Europe/Madrid, Asia/Tokyo): validated against the zone database Python ships."""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_ZONE_NAME = 64


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in known_zones():
        raise ValidationError(
            _("%(zone)s is not a time zone; use an IANA name such as Europe/Madrid or Asia/Tokyo."),
            params={"zone": value},
            code="time_zone",
        )
