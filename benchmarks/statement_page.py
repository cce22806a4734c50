"""Benchmark: an artist's monthly statement page with 5,000 ledger lines.

Checks that the page runs a constant number of queries (the same for 10 lines as for 5,000) and that its
median render time is under 3 times that of a bare template rendering the same rows from one query.
Prints both medians and the ratio; exits 1 if either check fails.

    .venv/bin/python benchmarks/statement_page.py            # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_bench .venv/bin/python benchmarks/statement_page.py

With DATABASE_URL, the database is created (if missing) and flushed: never point it at real data.
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")

import django  # noqa: E402

# whitenoise looks for collectstatic's output, which only production builds.
warnings.filterwarnings("ignore", "No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

LINES = 5_000
SMALL = 10
RUNS = int(os.environ.get("BENCH_RUNS", "21"))
MAX_RATIO = 3.0
MONTH = dt.date(2026, 9, 1)

BARE = engines["django"].from_string(
    "<!DOCTYPE html><html><body><table><tbody>"
    "{% for booked_on, kind, label, url, amount in rows %}"
    '<tr><td>{{ booked_on|date:"Y-m-d" }}</td><td>{{ kind }}</td>'
    '<th scope="row"><a href="{{ url }}">{{ label }}</a></th><td>{{ amount }}</td></tr>'
    "{% endfor %}</tbody></table></body></html>"
)


def _create_database() -> None:
    if connection.vendor == "postgresql":
        import psycopg

        name = settings.DATABASES["default"]["NAME"]
        params = {k: settings.DATABASES["default"][k] for k in ("USER", "HOST", "PORT")}
        admin = psycopg.connect(
            dbname="postgres", user=params["USER"], host=params["HOST"], port=params["PORT"] or 5432, autocommit=True
        )
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
        admin.close()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def _world():
    from portal.models import User
    from programs.models import Cohort, Enrolment, LedgerLine, Program
    from programs.services.compensation import ratecard_publish
    from tests.conftest import RATE_CARD_AMOUNTS

    program = Program.objects.create(slug="bench", name="Bench", pitch="Benchmark.", status=Program.Status.RUNNING)
    cohort = Cohort.objects.create(program=program, name="One", capacity=10)
    ratecard_publish(program=program, effective_from=dt.date(2026, 1, 1), currency="EUR", amounts=RATE_CARD_AMOUNTS,
                     today=dt.date(2026, 1, 1))  # fmt: skip
    people = []
    for email, count in (("small@example.com", SMALL), ("large@example.com", LINES)):
        user = User.objects.create_user(email=email, password=None, display_name=email.split("@")[0].title())
        Enrolment.objects.create(user=user, program=program, cohort=cohort, status=Enrolment.Status.ACTIVE)
        LedgerLine.objects.bulk_create(
            LedgerLine(
                program=program, user=user, kind=LedgerLine.Kind.EARNED, source=LedgerLine.Source.CREDIT,
                amount=Decimal("12.50"), currency="EUR", booked_on=MONTH + dt.timedelta(days=n % 28),
                idempotency_key=f"bench:{user.pk}:{n}", label=f"Accepted feedback: note #{n} on motion presets",
                source_url=f"/feedback/{n}/",
            )
            for n in range(count)
        )  # fmt: skip
        people.append(user)
    return program, people


def _medians(page, bare) -> tuple[float, float]:
    """Median seconds of each, measured alternately so that load on the machine hits both alike."""
    timings = {page: [], bare: []}
    for _ in range(RUNS):
        for work in (page, bare):
            started = time.perf_counter()
            work()
            timings[work].append(time.perf_counter() - started)
    return statistics.median(timings[page]), statistics.median(timings[bare])


def main() -> int:
    setup_test_environment()
    _create_database()
    program, (small, large) = _world()
    url = reverse("compensation:statement", args=[program.slug, MONTH.year, MONTH.month])
    client = Client()
    queries = {}
    for user in (small, large):
        client.force_login(user)
        assert client.get(url).status_code == 200  # warm up: the session's first request records the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        queries[user.email] = len(captured)
    rows = response.content.decode().count("<tr>")

    from programs.models import LedgerLine

    def bare() -> str:
        lines = LedgerLine.objects.filter(user=large, program=program, booked_on__gte=MONTH).order_by("booked_on", "pk")
        return BARE.render({"rows": lines.values_list("booked_on", "kind", "label", "source_url", "amount")})

    page_median, bare_median = _medians(lambda: client.get(url), bare)
    ratio = page_median / bare_median
    print(f"statement page: {rows} table rows, queries {queries['small@example.com']} with {SMALL} lines, "
          f"{queries['large@example.com']} with {LINES} lines")  # fmt: skip
    print(f"median over {RUNS} runs: page {page_median * 1000:.1f} ms, bare template {bare_median * 1000:.1f} ms")
    print(f"ratio page / bare: {ratio:.2f} (must be under {MAX_RATIO})")
    constant = queries["small@example.com"] == queries["large@example.com"]
    if not constant:
        print("FAIL: the number of queries grows with the number of lines")
    if ratio >= MAX_RATIO:
        print("FAIL: the page is too slow compared with the bare template")
    return 0 if constant and ratio < MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
