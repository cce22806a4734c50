"""The mail outbox in the admin: whoever runs the site sees what waits, what fails and why, what was sent or given
up; nobody edits it, and program staff do not see it (it lists every person's mail)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(db):
    now = timezone.now()
    return {
        "waiting": Mail.objects.create(template="invitation", to="new@example.com"),
        "failing": Mail.objects.create(template="video_news", to="ada@example.com", attempts=2,
                                       last_error="SMTPServerDisconnected('Connection unexpectedly closed')"),
        "sent": Mail.objects.create(template="video_news", to="bo@example.com", sent_at=now, attempts=1),
        "given_up": Mail.objects.create(template="review_reminder", to="cy@example.com", given_up_at=now),
    }  # fmt: skip


def test_the_site_owner_sees_each_mails_delivery_and_why_it_failed(client, superuser, outbox):
    client.force_login(superuser)
    page = client.get(reverse("admin:core_mail_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "SMTPServerDisconnected" in text and "Waiting after a failed attempt" in text and "Given up" in text
    failing = client.get(reverse("admin:core_mail_changelist"), {"delivery": "failing"}).context["cl"].queryset
    assert list(failing) == [outbox["failing"]]
    waiting = client.get(reverse("admin:core_mail_changelist"), {"delivery": "waiting"}).context["cl"].queryset
    assert set(waiting) == {outbox["waiting"], outbox["failing"]}


def test_nobody_adds_edits_or_deletes_a_mail_and_its_context_is_not_shown(client, superuser, outbox):
    client.force_login(superuser)
    mail = outbox["failing"]
    assert client.get(reverse("admin:core_mail_add")).status_code == 403
    assert client.post(reverse("admin:core_mail_delete", args=[mail.pk]), {"post": "yes"}).status_code == 403
    page = client.get(reverse("admin:core_mail_change", args=[mail.pk]))
    assert page.status_code == 200 and "context" not in page.context["adminform"].form.fields
    client.post(reverse("admin:core_mail_change", args=[mail.pk]), {"to": "evil@example.com"})
    mail.refresh_from_db()
    assert mail.to == "ada@example.com"


def test_program_staff_do_not_see_the_outbox(client, staff, outbox):
    client.force_login(staff)
    assert client.get(reverse("admin:core_mail_changelist")).status_code == 403
    assert b"core/mail" not in client.get(reverse("admin:index")).content
