"""Errors reported to Sentry (or any service that speaks its protocol), from the web and the workers; off unless
SENTRY_DSN is set, so nothing leaves the machine by default. Imported only then: sentry-sdk is a production
requirement that the embedded default never loads."""

from portal.request_id import current_request_id


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # no addresses, cookies or user details: artists' personal data stays here
        before_send=_tag_request_id,
    )


def _tag_request_id(event: dict, hint: dict) -> dict:
    if request_id := current_request_id():
        event.setdefault("tags", {})["request_id"] = request_id
    return event
