"""Benchmark: an artist's monthly statement as a PDF against the same statement as an HTML page.

Two artists, with 30 and 1,000 ledger lines in the month. For each, the PDF download and the HTML page are
requested alternately (so load on the machine hits both alike); prints the medians and the ratio PDF / page,
and exits 1 if a ratio reaches 3.

    .venv/bin/python benchmarks/statement_pdf.py            # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_bench_pdf .venv/bin/python benchmarks/statement_pdf.py

With DATABASE_URL, the database is created (if missing) and flushed: never point it at real data.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

from benchmarks import statement_page as setup

RUNS = int(os.environ.get("BENCH_RUNS", "11"))
MAX_RATIO = 3.0
SMALL, LARGE = 30, 1_000


def _medians(*works) -> list[float]:
    timings = {work: [] for work in works}
    for _ in range(RUNS):
        for work in works:
            started = time.perf_counter()
            work()
            timings[work].append(time.perf_counter() - started)
    return [statistics.median(timings[work]) for work in works]


def main() -> int:
    setup_test_environment()
    setup.SMALL, setup.LINES = SMALL, LARGE
    setup._create_database()
    program, people = setup._world()
    args = [program.slug, setup.MONTH.year, setup.MONTH.month]
    page_url, pdf_url = reverse("compensation:statement", args=args), reverse("compensation:statement_pdf", args=args)
    failed = False
    for user, lines in zip(people, (SMALL, LARGE), strict=True):
        client = Client()
        client.force_login(user)
        for url in (page_url, pdf_url):  # warm up: the session's first request, the first PDF's fonts
            assert client.get(url).status_code == 200
        size = len(client.get(pdf_url).content)
        page_s, pdf_s = _medians(lambda c=client: c.get(page_url), lambda c=client: c.get(pdf_url))
        ratio = pdf_s / page_s
        failed |= ratio >= MAX_RATIO
        print(
            f"{lines:>5} lines: page {page_s * 1000:7.1f} ms, PDF {pdf_s * 1000:7.1f} ms ({size / 1024:.0f} KiB), "
            f"PDF / page {ratio:5.2f} (bound {MAX_RATIO})"
        )
    print("FAIL: the PDF takes too long compared with the page" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
