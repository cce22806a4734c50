"""Small helpers that read settings from the environment and fail loudly on bad values."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_choice(name: str, choices: list[str], default: str) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required_when(condition: bool, name: str) -> str:
    """Return the variable's value, or fail when `condition` holds and it is missing."""
    value = os.environ.get(name, "")
    if condition and not value:
        raise ImproperlyConfigured(f"{name} must be set.")
    return value


def env_client_ip_source() -> tuple[str, int]:
    """CLIENT_IP_HEADER and TRUSTED_PROXY_COUNT, read together: where the client's address is, behind how many
    proxies of our own. Returns the request.META key ("" for REMOTE_ADDR) and the number of trusted proxies.

    X-Forwarded-For gets one address appended by each proxy, so with N proxies the client is the Nth address
    from the right (anything further left was sent by the client). A one-address header such as X-Real-IP is
    overwritten by the single proxy in front. No header: no proxy is trusted and REMOTE_ADDR is the client."""
    raw_header = os.environ.get("CLIENT_IP_HEADER", "").strip()
    header = raw_header.upper().replace("-", "_")
    if header and header != "REMOTE_ADDR" and not header.startswith("HTTP_"):
        header = f"HTTP_{header}"
    header = "" if header == "REMOTE_ADDR" else header
    count = env_int("TRUSTED_PROXY_COUNT", 1 if header else 0)
    if not header and count:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXY_COUNT={count} needs CLIENT_IP_HEADER, the header your proxies set "
            "(e.g. X-Forwarded-For); without it no proxy is trusted."
        )
    if header == "HTTP_X_FORWARDED_FOR" and count < 1:
        raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={count}: with X-Forwarded-For at least one proxy sets it.")
    if header and header != "HTTP_X_FORWARDED_FOR" and count != 1:
        raise ImproperlyConfigured(
            f"CLIENT_IP_HEADER={raw_header!r} holds one address set by the proxy in front, so TRUSTED_PROXY_COUNT "
            f"must be 1 (it is {count}); use X-Forwarded-For to count several proxies."
        )
    return header, count
