"""The one way a mail leaves: `mail_send(to=..., template=..., context=...)`.

A mail is a template folder, `templates/mail/<name>/` with `subject.txt`, `body.txt` and optionally `body.html`
(else `mail/body.html` wraps the text), rendered in the recipient's language and time zone. `mail_send` writes an
outbox row (core.models.Mail) in the caller's transaction and queues one task once it commits. The row makes the mail
durable: the task claims it with a conditional update (so two workers never both send it), retries with backoff
while SMTP is away, and marks it sent; the sweep (a beat job) queues again what was never tried or whose worker
died, gives up on what is too old, and prunes sent rows after the retention period. A `key` makes a mail
"at most once": the same key is never written, nor sent, twice.

Most mail carries a legal or money effect (agreements, video decisions that book a credit or open an appeal,
credits and severities, invitations, sign-in and security) and is always sent. A caller marks the rest `optional=`
one of OPTIONAL_KINDS (application decisions, report replies and statuses: "decisions"; review deadline
reminders: "reminders"; "digests"); a person who turned that kind off on their profile (User.mail_<kind>) is not
sent it.

The context holds plain JSON values, dates, model instances and recorded sentences (core.recorded.Said); instances
are stored as references and loaded again when the mail is rendered, so it shows the row as it is then (a deleted
row drops the mail), and a sentence is rendered then, in the recipient's language.
"""

import datetime as dt
import logging
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation

from core.language import language_of
from core.models import Mail
from core.recorded import Words, shown
from core.time_zones import is_time_zone

logger = logging.getLogger(__name__)

CLAIM_LEASE = dt.timedelta(minutes=2)  # longer than one send may take (the task's hard limit is 60 s)
REQUEUE_UNTRIED_AFTER = dt.timedelta(minutes=5)  # never tried: its task was never queued, or was lost
REQUEUE_TRIED_AFTER = dt.timedelta(minutes=15)  # tried and waiting: longer than the task's longest retry countdown
GIVE_UP_AFTER = dt.timedelta(days=2)  # older news is not worth sending late
KEEP_SENT_FOR = dt.timedelta(days=90)  # the audit of what was sent, then pruned
OPTIONAL_KINDS = ("decisions", "reminders", "digests")


class MailDropped(Exception):
    """What the mail is about no longer exists: it is not sent."""


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def mail_send(
    *,
    to,
    template: str,
    context: dict | None = None,
    key: str | None = None,
    language: str = "",
    at_once: bool = False,
    optional: str = "",
) -> Mail | None:
    """Queue one mail to `to` (a user, or an address) after the caller's transaction commits; returns its outbox
    row, or None when there is no address or `key` was used already.

    `at_once` queues it now instead, for a message wanted at once whatever the caller's transaction does (a
    sign-in code); a worker that cannot see the row yet leaves it to the sweep. `optional` (one of
    OPTIONAL_KINDS) skips the mail for a person who turned that kind off."""
    user = to if isinstance(to, models.Model) else None
    address = user.email if user is not None else (to or "")
    if not address or (key is not None and Mail.objects.filter(key=key).exists()):
        return None
    if optional and not wants_mail(user, optional):
        return None
    row = Mail(
        template=template,
        context=_encode(context or {}),
        to=address,
        user=user,
        language=language or (language_of(user) if user is not None else ""),
        key=key,
    )
    try:
        with transaction.atomic():  # a savepoint: a key taken by a concurrent sender leaves the caller's work alone
            row.save()
    except IntegrityError:
        if key is None:
            raise
        return None
    if at_once:
        _queue_or_log(row.pk)
    else:
        transaction.on_commit(partial(_queue_or_log, row.pk))
    return row


def wants_mail(user, kind: str) -> bool:
    """Whether `user` (None: a bare address) takes optional mail of this kind."""
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"Unknown optional mail kind {kind!r}; one of {OPTIONAL_KINDS}")
    return user is None or getattr(user, f"mail_{kind}", True)


def _time_zone_of(mail: Mail) -> str:
    """The recipient's time zone, when it is one this machine knows; else the site's."""
    zone = getattr(mail.user, "time_zone", "") if mail.user_id else ""
    return zone if is_time_zone(zone) else settings.TIME_ZONE


def _queue(mail_id: int) -> None:
    from core.tasks import deliver_mail

    deliver_mail.delay(mail_id)


def _queue_or_log(mail_id: int) -> None:
    """The caller's work is saved, and so is the mail: a broker that is away (or, in-process, an SMTP server
    that failed every retry) is logged, never the caller's error; the sweep queues the mail again."""
    try:
        _queue(mail_id)
    except Exception:
        logger.exception("Mail %s could not be queued; the sweep will queue it again.", mail_id)


def mails_cancel(*, keys) -> int:
    """Withhold the mails with these keys that have not left yet (e.g. demo history that is not news)."""
    return Mail.objects.filter(key__in=list(keys), sent_at__isnull=True).update(given_up_at=timezone.now())


# --- Sending ------------------------------------------------------------------------------------


def mail_deliver(*, mail_id: int) -> bool:
    """Send one outbox row, at most once: a conditional update claims it (a claim whose worker died expires);
    a failed send releases the claim and raises, for the task to retry. Returns whether this call sent it."""
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    claimed = Mail.objects.filter(claimable, pk=mail_id, sent_at__isnull=True, given_up_at__isnull=True).update(
        claimed_at=now, touched_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    try:
        message = render(Mail.objects.select_related("user").get(pk=mail_id))
        message.send()
    except MailDropped:
        Mail.objects.filter(pk=mail_id).update(given_up_at=timezone.now(), claimed_at=None, context={})
        return False
    except Exception as error:
        Mail.objects.filter(pk=mail_id).update(claimed_at=None, last_error=repr(error)[:255])
        raise
    Mail.objects.filter(pk=mail_id).update(
        sent_at=timezone.now(), claimed_at=None, subject=message.subject[:255], context={}, last_error=""
    )
    return True


def render(mail: Mail) -> EmailMultiAlternatives:
    """The message in the recipient's language and time zone: subject on one line, the text, and the HTML part."""
    with translation.override(mail.language or settings.LANGUAGE_CODE), timezone.override(_time_zone_of(mail)):
        context = _decode(mail.context) | {"site_url": settings.SITE_URL.rstrip("/")}
        folder = f"mail/{mail.template}"
        subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
        text = render_to_string(f"{folder}/body.txt", context).strip() + "\n"
        html = select_template([f"{folder}/body.html", "mail/body.html"]).render(
            context | {"subject": subject, "text": text}
        )
    message = EmailMultiAlternatives(subject=subject, body=text, to=[mail.to])
    message.attach_alternative(html, "text/html")
    return message


# --- The sweep ----------------------------------------------------------------------------------


def mails_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Beat job: give up on what is too old, queue again what waits past its time, prune the audit rows."""
    now = now or timezone.now()
    waiting = Mail.objects.filter(sent_at__isnull=True, given_up_at__isnull=True)
    given_up = waiting.filter(created_at__lt=now - GIVE_UP_AFTER).update(given_up_at=now)
    stale = waiting.filter(
        Q(attempts=0, touched_at__lt=now - REQUEUE_UNTRIED_AFTER) | Q(touched_at__lt=now - REQUEUE_TRIED_AFTER)
    )
    requeued = 0
    for mail_id in stale.order_by("pk").values_list("pk", flat=True):
        try:
            _queue(mail_id)
        except Exception:  # the broker is still away (or, in-process, SMTP is): the next sweep tries again
            logger.exception("Mail %s could not be queued again; the next sweep retries.", mail_id)
            continue
        Mail.objects.filter(pk=mail_id, sent_at__isnull=True).update(touched_at=now)
        requeued += 1
    finished = Q(sent_at__lt=now - KEEP_SENT_FOR) | Q(given_up_at__lt=now - KEEP_SENT_FOR)
    pruned, _ = Mail.objects.filter(finished).delete()
    return {"given_up": given_up, "requeued": requeued, "pruned": pruned}


# --- Personal data ------------------------------------------------------------------------------


def mails_of(user) -> models.QuerySet[Mail]:
    """The mails to this person (the personal data export lists them)."""
    return Mail.objects.filter(Q(user=user) | Q(to__iexact=user.email)).order_by("created_at", "pk")


def mails_erase(*, user) -> int:
    """Account deletion: the person's mails go, sent or not (the audit does not outlive the person)."""
    deleted, _ = mails_of(user).delete()
    return deleted


# --- The context: plain values, dates, sentences, and model instances by reference ----------------


def _encode(value):
    if isinstance(value, Words):
        return {"__said__": value.to_json()}
    if isinstance(value, models.Model):
        return {"__model__": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, dict):
        if "__model__" in value:
            instance = apps.get_model(value["__model__"])._default_manager.filter(pk=value["pk"]).first()
            if instance is None:
                raise MailDropped(value["__model__"])
            return instance
        if "__datetime__" in value:
            return dt.datetime.fromisoformat(value["__datetime__"])
        if "__date__" in value:
            return dt.date.fromisoformat(value["__date__"])
        if "__said__" in value:
            return shown("", value["__said__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value
