"""Signup takes as long for a registered address as for a new one, so its timing tells no one who has an account."""

import statistics
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse

from portal.models import User
from tests.conftest import PASSWORD, make_user

RUNS = 7


class QuickerPBKDF2(PBKDF2PasswordHasher):
    """The real PBKDF2 at a fifth of Django 6.1's iterations: the gap it made is still far above the noise of a
    loaded machine, and the test takes seconds, not a minute."""

    iterations = PBKDF2PasswordHasher.iterations // 5


def signup_seconds(email: str, number: int) -> float:
    client = Client(REMOTE_ADDR=f"198.51.100.{number}")  # each from its own client: signups are rate limited per IP
    started = time.perf_counter()
    response = client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    return elapsed


@pytest.mark.django_db
def test_signup_answers_as_slowly_for_a_registered_address_as_for_a_new_one(settings):
    for number in range(RUNS):  # one address each: a second signup within minutes meets the mail's rate limit
        make_user(f"registered{number}@example.com")
    settings.PASSWORD_HASHERS = [f"{__name__}.QuickerPBKDF2"]
    signup_seconds("warm-up@example.com", 200)  # first-request costs (templates, imports) fall on neither side
    registered, new = [], []
    for number in range(RUNS):  # interleaved, so a burst of load on the machine hits both sides alike
        registered.append(signup_seconds(f"registered{number}@example.com", 2 * number))
        new.append(signup_seconds(f"new{number}@example.com", 2 * number + 1))
    assert User.objects.filter(email__startswith="new").count() == RUNS
    fast, slow = sorted([statistics.median(new), statistics.median(registered)])
    # Before the fix a registered address answered in a fifth of the time; the bound leaves room for noise.
    assert fast / slow > 0.7, {"new": new, "registered": registered}
