"""The address a request came from, for records such as agreement acceptances."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless settings.CLIENT_IP_HEADER names a header that a trusted proxy sets.

    For X-Forwarded-For (CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR) the rightmost address is used: it is the
    one our own proxy appended, whereas anything to its left was sent by the client and can be forged.
    """
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    candidates = []
    if header and request.META.get(header):
        candidates.append(request.META[header].split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
