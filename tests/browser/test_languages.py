"""In real Chromium, the same journey in Spanish and in French shows no English: sign up (language from the footer's
switcher, time zone from the browser), apply, the upload page, a decision on a video and its mail, the monthly
statement and its PDF. Every visible text (and user-visible attribute, mail line and PDF line) that equals an
English msgid of the catalogue whose translation differs is a failure. And a person in Asia/Tokyo reads a review
deadline in JST, with the zone named."""

import io
import re
import zoneinfo

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core import mail
from django.utils import dateformat, timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from portal.models import User
from programs.models import Cohort, Enrolment
from submissions.models import VideoReview
from submissions.services import approvals
from tests.approval_helpers import setup_review, video_in_review
from tests.conftest import PASSWORD, accept_current, enrol, make_program, make_rate_card, make_user, publish_agreement
from tests.template_lint import ALLOWED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)
BROWSER_ZONE = "Europe/Madrid"
VISIBLE_TEXT = """() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    const hidden = !el || el.closest("script, style, template, [translate=no]");
    if (!hidden && el.checkVisibility({visibilityProperty: true})) {
      texts.push(walker.currentNode.textContent);
    }
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [alt], [placeholder], input[type=submit]")) {
    for (const name of ["aria-label", "title", "alt", "placeholder", "value"]) {
      if (el.hasAttribute(name) && (name !== "value" || el.type === "submit")) texts.push(el.getAttribute(name));
    }
  }
  return texts;
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": BROWSER_ZONE}


def english_msgids(language: str) -> set[str]:
    """The English texts that must not be seen in `language`: each msgid (without placeholders) whose
    translation differs from it, or is missing."""
    with (settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalog = read_po(po)
    return {
        normal(m.id)
        for m in list(catalog)[1:]
        if isinstance(m.id, str) and "%" not in m.id and (m.fuzzy or m.string != m.id)
    }


def normal(text: str) -> str:
    return " ".join(text.split())


def english_in(texts, english: set[str], where: str) -> list[str]:
    found = {normal(t) for t in texts} & english
    return [f"{where}: {text!r}" for text in sorted(found) if text.lower() not in ALLOWED]


class Journey:
    """Collects what a person sees along the way, page by page."""

    def __init__(self, page: Page, base: str, language: str):
        self.page, self.base, self.language = page, base, language
        self.english = english_msgids(language)
        self.found: list[str] = []

    def visit(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.look(path)

    def look(self, where: str) -> None:
        self.page.wait_for_load_state()
        self.found += english_in(self.page.evaluate(VISIBLE_TEXT), self.english, where)

    def read_mail(self, message) -> None:
        lines = [message.subject, *message.body.splitlines()]
        self.found += english_in(lines, self.english, f"mail “{message.subject}”")

    def read_pdf(self, path: str) -> None:
        response = self.page.request.get(self.base + path)
        assert response.ok, response.status
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body())).pages)
        self.found += english_in(text.splitlines(), self.english, path)


def lumen_with_reviewers():
    program = make_program(slug="lumen", name="Lumen")
    Cohort.objects.create(program=program, name="Spring cohort", capacity=5)
    publish_agreement(program)
    make_rate_card(program)
    safety, lead = make_user("safety@example.com"), make_user("lead@example.com")
    setup_review(program, safety=[safety], lead=[lead])
    return program, safety, lead


def sign_up(journey: Journey, email: str) -> User:
    page = journey.page
    page.goto(journey.base + "/")  # in the browser's language (English) until the switch
    page.select_option("#language-switcher", journey.language)
    page.locator("form.language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("lang", journey.language)
    journey.look("/ after switching")
    journey.visit("/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("input[name=password2]").press("Enter")
    expect(page.locator("input[name=code]")).to_be_visible()
    journey.look("/accounts/confirm-email/")
    journey.read_mail(mail.outbox[-1])
    page.fill("input[name=code]", CODE.search(mail.outbox[-1].body).group(1))
    page.locator("input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile("/me/$"))
    journey.look("/me/")
    return User.objects.get(email=email)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_journey_shows_no_english(live_server, page: Page, settings, language):
    settings.SITE_URL = live_server.url
    program, safety, lead = lumen_with_reviewers()
    journey = Journey(page, live_server.url, language)

    artist = sign_up(journey, f"artist-{language}@example.com")
    assert (artist.language, artist.time_zone) == (language, BROWSER_ZONE)

    journey.visit("/programs/lumen/")
    journey.visit("/programs/lumen/apply/")
    page.fill("textarea[name=portfolio_links]", "https://example.com/reel")
    page.fill("textarea[name=statement]", "Documentales cortos y animación; courts documentaires et animation.")
    page.locator("textarea[name=statement]").evaluate("field => field.form.requestSubmit()")
    expect(page).to_have_url(re.compile("/programs/lumen/application/$"))
    journey.look("/programs/lumen/application/")

    accept_current(enrol(artist, program, cohort=program.cohorts.get(), status=Enrolment.Status.ACTIVE))
    journey.visit("/videos/new/")
    video = video_in_review(artist, program)
    mail.outbox.clear()
    for reviewer in (safety, lead):
        review = VideoReview.objects.get(video=video)
        approvals.review_decide(
            video_id=video.pk, reviewer=reviewer, outcome="approve", seen_step_id=review.current_step_id
        )
    decision_mails = [m for m in mail.outbox if m.to == [artist.email]]
    assert decision_mails, "the artist is told of the decision"
    for message in decision_mails:
        journey.read_mail(message)
    journey.visit(f"/videos/{video.pk}/")
    journey.visit("/me/compensation/")
    today = timezone.localdate()
    statement = f"/me/compensation/lumen/statements/{today.year}/{today.month}/"
    journey.visit(statement)
    journey.read_pdf(statement + "statement.pdf")
    journey.visit("/me/profile/")

    assert not journey.found, f"{len(journey.found)} English texts in {language}:\n" + "\n".join(journey.found)


def test_a_person_in_tokyo_reads_a_review_deadline_in_jst(live_server, page: Page, program, artist):
    artist.time_zone = "Asia/Tokyo"
    artist.save(update_fields=["time_zone"])
    setup_review(program, safety=[make_user("safety@example.com")], lead=[make_user("lead@example.com")])
    video = video_in_review(artist, program)
    deadline = VideoReview.objects.get(video=video).deadline_at
    in_tokyo = deadline.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", artist.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile("/me/$"))
    page.goto(f"{live_server.url}/videos/{video.pk}/")
    shown = page.locator(".review-status time").first
    expect(shown).to_contain_text(f"{in_tokyo.day} ")
    expect(shown).to_contain_text(dateformat.format(in_tokyo, "P"))  # the clock time in Tokyo, e.g. 12:05 p.m.
    expect(shown).to_contain_text("JST")
