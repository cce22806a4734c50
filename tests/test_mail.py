"""core.mail, the one way a mail leaves: rendered from its template in the recipient's language, written to the
outbox in the sender's transaction, sent once by a retrying task, and never lost to a broker or a worker that was
away (the sweep queues it again)."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone, translation

from core.mail import KEEP_SENT_FOR, mail_deliver, mail_send, mails_of, mails_sweep
from core.models import Mail
from core.templatetags.when import when
from programs.services import invitations
from tests.celery_broker import broker_away, task_log
from tests.smtp_server import smtp_server_down_at_first
from tests.test_celery_worker import wait_for


def news(to, *, body="Your video was approved.", key=None, **kwargs) -> Mail | None:
    context = {"subject": "Your video was approved", "body": body, "url": "https://glasshouse.example/videos/1/"}
    return mail_send(to=to, template="video_news", context=context, key=key, **kwargs)


@pytest.mark.django_db
def test_the_text_and_the_html_part_are_both_rendered(artist, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        row = news(artist, body="“Dawn” <b>passed</b> & may be published.")
    [message] = mail.outbox
    assert message.to == [artist.email] and message.subject == "[Glasshouse] Your video was approved"
    assert "“Dawn” <b>passed</b> & may be published." in message.body  # plain text, as written
    assert "See the video and its full history: https://glasshouse.example/videos/1/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "“Dawn” &lt;b&gt;passed&lt;/b&gt; &amp; may be published." in html  # escaped, never markup
    assert '<a href="https://glasshouse.example/videos/1/"' in html and '<html lang="en-gb">' in html
    row.refresh_from_db()
    assert row.sent_at is not None and row.subject == message.subject
    assert row.context == {}  # the audit keeps who, what and when; not the content


@pytest.mark.django_db
def test_a_mail_is_rendered_in_the_recipients_language(program, staff, django_capture_on_commit_callbacks):
    """The expiry reads as the recipient reads it (|when in their language), and the worker's language is restored."""
    invitation = invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email="invitee@example.com", actor=staff
    )
    context = {"invitation": invitation, "link": "https://glasshouse.example/i/x/"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mail_send(to="invitee@example.com", template="invitation", context=context, language="fr")
        mail_send(to="invitee@example.com", template="invitation", context=context)
    french, default = mail.outbox
    with translation.override("fr"):
        expires_fr = when(invitation.expires_at)
    expires_en = when(invitation.expires_at)
    assert expires_fr != expires_en
    assert expires_fr in french.body and expires_en not in french.body
    assert 'lang="fr"' in french.alternatives[0][0]
    assert expires_en in default.body and expires_fr not in default.body
    assert translation.get_language() == "en-gb"  # the worker's own language is left as it was


@pytest.mark.django_db
def test_the_same_key_twice_sends_one_mail(artist, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = news(artist, key="approved:7")
        assert news(artist, key="approved:7") is None
    with django_capture_on_commit_callbacks(execute=True):
        assert news(artist, key="approved:7") is None  # nor in a later transaction
    assert first is not None and Mail.objects.filter(key="approved:7").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_claimed_mail_is_not_sent_by_another_worker_until_its_claim_expires(artist):
    row = news(artist)  # its task waits for the commit, which never comes in this test
    Mail.objects.filter(pk=row.pk).update(claimed_at=timezone.now())  # a worker is sending it right now
    mail.outbox.clear()
    assert mail_deliver(mail_id=row.pk) is False
    assert mail.outbox == []
    # That worker died mid-send: once its claim has run out, the mail is sent (once).
    Mail.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - dt.timedelta(minutes=3))
    assert mail_deliver(mail_id=row.pk) is True
    assert mail_deliver(mail_id=row.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_mails_at_once_send_each_once(artist):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers: set DATABASE_URL (the services run of .ci/run does)")
    with transaction.atomic():  # queued on commit: in-process, each is sent at once...
        rows = [news(artist, body=f"Message {n}") for n in range(20)]
    Mail.objects.update(sent_at=None, claimed_at=None)  # ...so make them unsent again for the race
    mail.outbox.clear()
    start = threading.Barrier(2)
    sent: list[int] = []

    def worker():
        start.wait()
        try:
            sent.extend(row.pk for row in rows if mail_deliver(mail_id=row.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(sent) == sorted(row.pk for row in rows)  # each claimed by exactly one of the two
    assert len(mail.outbox) == 20


@pytest.mark.django_db
def test_the_sweep_sends_what_was_never_queued_and_what_a_lost_worker_held(artist):
    never_queued, held_by_a_dead_worker, just_written = news(artist), news(artist), news(artist)
    now = timezone.now()
    Mail.objects.filter(pk=never_queued.pk).update(touched_at=now - dt.timedelta(minutes=6))
    Mail.objects.filter(pk=held_by_a_dead_worker.pk).update(
        attempts=1, claimed_at=now - dt.timedelta(minutes=20), touched_at=now - dt.timedelta(minutes=20)
    )
    mail.outbox.clear()
    assert mails_sweep()["requeued"] == 2
    assert len(mail.outbox) == 2
    assert set(Mail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)) == {just_written.pk}
    assert mails_sweep()["requeued"] == 0


@pytest.mark.django_db
def test_sent_mails_are_kept_for_the_audit_then_pruned(artist):
    recent, old, given_up = news(artist), news(artist), news(artist)
    now = timezone.now()
    Mail.objects.filter(pk=recent.pk).update(sent_at=now - dt.timedelta(days=1), context={})
    Mail.objects.filter(pk=old.pk).update(sent_at=now - KEEP_SENT_FOR - dt.timedelta(days=1), context={})
    Mail.objects.filter(pk=given_up.pk).update(given_up_at=now - KEEP_SENT_FOR - dt.timedelta(days=1))
    assert mails_sweep()["pruned"] == 2
    assert list(Mail.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_a_mail_about_a_deleted_row_is_dropped(program, staff, django_capture_on_commit_callbacks):
    invitation = invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email="invitee@example.com", actor=staff
    )
    row = mail_send(to="x@example.com", template="invitation", context={"invitation": invitation, "link": "/i/"})
    invitation.delete()
    mail.outbox.clear()
    assert mail_deliver(mail_id=row.pk) is False
    row.refresh_from_db()
    assert row.given_up_at is not None and row.sent_at is None and mail.outbox == []


@pytest.mark.django_db
def test_a_revoked_invitations_mail_that_has_not_left_never_does(program, staff):
    invitation = invitations.invitation_send(  # its mail waits for the commit, which never comes in this test
        program=program, cohort=program.cohorts.first(), email="invitee@example.com", actor=staff
    )
    invitations.invitation_revoke(invitation=invitation, actor=staff, reason="Sent to the wrong address.")
    row = Mail.objects.get(to="invitee@example.com")
    mail.outbox.clear()
    assert mail_deliver(mail_id=row.pk) is False
    assert mail.outbox == [] and row.sent_at is None


@pytest.mark.django_db
def test_deleting_an_account_erases_its_mails(artist, other_artist):
    from accounts.personal_data.deletion import account_delete

    news(artist)
    mail_send(to=artist.email, template="allauth", context={"subject": "Code", "body": "ABCD-EFGH"})
    kept = news(other_artist)
    assert mails_of(artist).count() == 2
    account_delete(user=artist)
    assert list(Mail.objects.values_list("pk", flat=True)) == [kept.pk]


# --- Through the real broker and worker --------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_mail_queued_while_the_broker_is_away_is_sent_later_by_the_sweep(artist, celery_worker):
    mail.outbox.clear()
    with broker_away("refused"), transaction.atomic():
        row = news(artist)
    # The action committed; queuing its mail failed (logged), and the outbox row is all that is left.
    assert Mail.objects.get(pk=row.pk).sent_at is None
    assert mail.outbox == []
    with task_log() as log:  # the broker is back: the next sweep finds the row and queues it, once
        result = mails_sweep(now=timezone.now() + dt.timedelta(minutes=6))
        assert result["requeued"] == 1
        assert wait_for(lambda: Mail.objects.get(pk=row.pk).sent_at is not None)
        assert log.wait_until(log.idle, seconds=30)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [artist.email]
    assert mails_sweep(now=timezone.now() + dt.timedelta(minutes=30))["requeued"] == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_smtp_away_the_mail_is_retried_then_sent_once(artist, settings, celery_worker):
    with smtp_server_down_at_first(settings) as smtp, task_log() as log:
        with transaction.atomic():
            row = news(artist)
        assert log.wait_until(lambda: log.count("RETRY") >= 1, seconds=30), log.events
        waiting = Mail.objects.get(pk=row.pk)
        assert waiting.sent_at is None and waiting.claimed_at is None and "Connection refused" in waiting.last_error
        smtp.accept()
        assert smtp.wait_for(1, seconds=60)
        assert log.wait_until(log.idle, seconds=30)
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == artist.email
    sent = Mail.objects.get(pk=row.pk)
    assert sent.sent_at is not None and sent.attempts >= 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_mail_queued_twice_is_sent_once_by_the_worker(artist, celery_worker):
    from core.tasks import deliver_mail

    with transaction.atomic():
        row = news(artist)
    mail.outbox.clear()
    Mail.objects.filter(pk=row.pk).update(sent_at=None)  # as if its first task had not run yet
    with task_log() as log:
        deliver_mail.delay(row.pk)
        deliver_mail.delay(row.pk)
        assert log.wait_until(lambda: len(log.finished) >= 2 and log.idle(), seconds=30)
    assert len(mail.outbox) == 1
