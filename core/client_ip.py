"""The address a request came from: for records such as agreement acceptances, and for every per-client limit
(allauth's login limits and session list through the account adapter, the API's limits)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless settings.CLIENT_IP_HEADER names a header that our own proxies set.

    X-Forwarded-For: each of the TRUSTED_PROXY_COUNT proxies appended one address, so the client is that many
    places from the right; anything further left was sent by the client and can be forged. A request with fewer
    addresses than proxies did not come through them all, and its REMOTE_ADDR is used.
    """
    candidates = [_from_header(request, getattr(settings, "CLIENT_IP_HEADER", ""))]
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def _from_header(request: HttpRequest, header: str) -> str:
    value = request.META.get(header, "") if header else ""
    if header != "HTTP_X_FORWARDED_FOR":
        return value.strip()
    hops = [hop.strip() for hop in value.split(",")]
    proxies = max(getattr(settings, "TRUSTED_PROXY_COUNT", 1), 1)
    return hops[-proxies] if len(hops) >= proxies else ""


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
