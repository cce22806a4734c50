"""Each person reads the portal and its mail in their own language and time zone: the switcher (saved for a
signed-in person), the profile's preferences, the zone guessed at sign-up, and optional mail they can turn off."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from core.mail import mail_send
from portal.models import User
from tests.conftest import PASSWORD


def prefs(**changes) -> dict:
    values = {
        "prefs-pronouns": "they/them",
        "prefs-portfolio_url": "https://ada.example/",
        "prefs-social_url": "",
        "prefs-language": "en-gb",
        "prefs-time_zone": "Europe/Madrid",
        "prefs-mail_decisions": "on",
        "prefs-mail_reminders": "on",
        "prefs-mail_digests": "on",
    }
    values.update({f"prefs-{name}": value for name, value in changes.items()})
    return {name: value for name, value in values.items() if value is not None}


@pytest.mark.django_db
def test_a_visitor_switches_language_in_the_footer_and_every_page_follows(client):
    assert '<html lang="en-gb">' in client.get(reverse("home")).text
    response = client.post(reverse("set_language"), {"language": "es", "next": reverse("programs:list")})
    assert response.status_code == 302 and response["Location"] == reverse("programs:list")
    page = client.get(reverse("home")).text
    assert '<html lang="es">' in page and "Cambiar idioma" in page


@pytest.mark.django_db
def test_the_browsers_language_is_used_until_one_is_chosen(client):
    page = client.get(reverse("home"), headers={"accept-language": "fr-FR,fr;q=0.9"}).text
    assert '<html lang="fr">' in page


@pytest.mark.django_db
def test_a_signed_in_switch_is_saved_and_follows_the_person_to_another_browser(client, artist):
    client.force_login(artist)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    artist.refresh_from_db()
    assert artist.language == "fr"
    other = type(client)()
    other.force_login(artist)
    assert '<html lang="fr">' in other.get(reverse("dashboard"), headers={"accept-language": "es"}).text


@pytest.mark.django_db
def test_an_unknown_language_is_not_saved(client, artist):
    client.force_login(artist)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    artist.refresh_from_db()
    assert artist.language == "en-gb"


@pytest.mark.django_db
def test_the_profile_saves_language_time_zone_pronouns_links_and_mail_choices(client, artist):
    client.force_login(artist)
    page = client.get(reverse("profile")).text
    assert reverse("usersessions_list") in page and 'name="prefs-time_zone"' in page
    response = client.post(reverse("profile_preferences_update"), prefs(language="es", mail_reminders=None))
    assert response.status_code == 302
    artist.refresh_from_db()
    assert (artist.language, artist.time_zone, artist.pronouns) == ("es", "Europe/Madrid", "they/them")
    assert artist.portfolio_url == "https://ada.example/" and not artist.mail_reminders and artist.mail_decisions
    assert "Guardado" in client.get(reverse("profile")).text  # the confirmation in the language just chosen


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"time_zone": "Mars/Olympus"},
        {"portfolio_url": "javascript:alert(1)"},
        {"social_url": "ftp://ada.example/"},
        {"pronouns": "x" * 41},
        {"portfolio_url": "https://ada.example/" + "a" * 300},
        {"language": "de"},
    ],
)
def test_refused_preferences_store_nothing(client, artist, changes):
    client.force_login(artist)
    response = client.post(reverse("profile_preferences_update"), prefs(**changes))
    assert response.status_code == 400 and 'class="errorlist' in response.text
    artist.refresh_from_db()
    assert (artist.time_zone, artist.pronouns, artist.portfolio_url, artist.language) == ("UTC", "", "", "en-gb")


@pytest.mark.django_db
def test_pages_show_times_in_the_persons_time_zone(client, artist):
    artist.time_zone = "Asia/Tokyo"
    artist.save()
    client.force_login(artist)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert timezone.get_current_timezone_name() == "UTC"  # the request's zone did not outlive it


@pytest.mark.django_db
@pytest.mark.parametrize(("guess", "stored"), [("America/Mexico_City", "America/Mexico_City"), ("Nowhere/X", "UTC")])
def test_signup_keeps_the_browsers_time_zone_and_the_language_signed_up_in(client, guess, stored):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    client.post(
        reverse("account_signup"),
        {"email": "nueva@example.com", "password1": PASSWORD, "password2": PASSWORD, "time_zone": guess},
    )
    user = User.objects.get(email="nueva@example.com")
    assert (user.time_zone, user.language) == (stored, "es")


@pytest.mark.django_db
def test_mail_is_written_in_the_recipients_language_and_time_zone(artist, django_capture_on_commit_callbacks):
    artist.language, artist.time_zone = "fr", "Asia/Tokyo"
    artist.save()
    deadline = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 12:00 in Tokyo
    context = {"video_id": 7, "program": "Lumen", "step": "Safety", "deadline": deadline, "url": "https://x.example/"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mail_send(to=artist, template="review_reminder", context=context)
    [message] = mail.outbox
    assert "12:00" in message.body and "JST" in message.body and "mars" in message.body
    assert 'lang="fr"' in message.alternatives[0][0]


@pytest.mark.django_db
def test_optional_mail_turned_off_is_not_sent_but_mail_with_legal_or_money_effect_is(artist):
    artist.mail_decisions = artist.mail_reminders = False
    artist.save()
    news = {"subject": "s", "body": "b", "url": "u"}
    assert mail_send(to=artist, template="video_news", context=news, optional="decisions") is None
    assert mail_send(to=artist, template="video_news", context=news, optional="reminders") is None
    assert mail_send(to=artist, template="video_news", context=news) is not None  # always sent
    assert mail_send(to=artist, template="video_news", context=news, optional="digests") is not None
    with pytest.raises(ValueError):
        mail_send(to=artist, template="video_news", context=news, optional="newsletters")


def test_the_script_catalogue_defines_gettext(client):
    response = client.get(reverse("javascript-catalog"), headers={"accept-language": "es"})
    assert response.status_code == 200 and "django.gettext = function" in response.text


@pytest.mark.django_db
def test_pages_ask_for_the_script_catalogue_by_language_and_release_which_browsers_then_keep(client):
    from core.js_catalogue import catalogue_digest

    english = client.get(reverse("home")).text
    spanish = client.get(reverse("home"), headers={"accept-language": "es"}).text
    digest = catalogue_digest()
    assert f'src="/jsi18n/?l=en-gb&amp;v={digest}"' in english and f'src="/jsi18n/?l=es&amp;v={digest}"' in spanish
    response = client.get(f"/jsi18n/?l=es&v={digest}", headers={"accept-language": "es"})
    assert "max-age=31536000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert "El portal abre la subida por s" in response.text  # the Spanish catalogue itself


@pytest.mark.django_db
def test_the_export_holds_and_deletion_clears_the_reading_preferences(artist):
    from accounts.personal_data import account

    artist.pronouns, artist.portfolio_url, artist.time_zone = "she/her", "https://ada.example/", "Asia/Tokyo"
    artist.save()
    (profile,) = account.records(artist)[0].rows()
    assert (profile["pronouns"], profile["time_zone"], profile["mail_reminders"]) == ("she/her", "Asia/Tokyo", True)
    account.erase(artist, reason="asked")
    artist.refresh_from_db()
    assert (artist.pronouns, artist.portfolio_url, artist.time_zone) == ("", "", "UTC")


@pytest.mark.django_db
def test_text_a_service_puts_in_a_mail_is_translated_in_the_recipients_language(
    artist, django_capture_on_commit_callbacks
):
    from core.recorded import Day, Said

    artist.language, artist.time_zone = "es", "Asia/Tokyo"
    artist.save()
    body = Said(gettext_noop("Your video was approved by deadline"))
    subject = Said(gettext_noop("“%(name)s” is not a known time zone."), name=Day(dt.date(2026, 3, 2)))
    mail.outbox.clear()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):  # the sender reads French
        mail_send(to=artist, template="video_news", context={"subject": subject, "body": body, "url": "u"})
    [message] = mail.outbox
    assert "Tu vídeo recibió la aprobación tácita" in message.body
    assert "«2 de marzo de 2026» no es una zona horaria conocida." in message.subject
