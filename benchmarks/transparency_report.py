"""Benchmark: the transparency report page against the raw SQL aggregates that compute the same figures.

Seeds a throwaway PostgreSQL database with one program of 10,000 artists, 200,000 videos (reviews, decisions,
appeals), 1,000,000 time entries and 1,000,000 ledger lines over two years, with generate_series INSERTs.
Then, side by side, it times:

- the report page through Django's full request cycle, uncached (the cache entry is dropped before each run);
- the raw SQL aggregate queries computing the same figures, run through the same connection.

It prints both medians and their ratio; the issue asks for at most 1.5. Exit status 1 above that.

    .venv/bin/python benchmarks/transparency_report.py       # BENCH_POSTGRES=postgres://... to point elsewhere
"""

import sys

from _setup import drop_database, median_seconds, use_fresh_database

DATABASE = "glasshouse_bench_transparency"
ARTISTS = 10_000
VIDEOS = 200_000
TIME_ENTRIES = 1_000_000
LEDGER_LINES = 1_000_000
RUNS = 7
MAX_RATIO = 1.5

SEED_SQL = [
    # Artists, enrolled in the program over two years; most active, some paused or gone.
    f"""INSERT INTO portal_user (password, is_superuser, email, display_name, credit_name,
            is_staff, is_active, date_joined)
        SELECT '!', false, 'artist' || i || '@bench.test', 'Artist ' || i, '', false, true, now()
        FROM generate_series(1, {ARTISTS}) i""",
    """INSERT INTO programs_enrolment (user_id, program_id, status, created_at, status_changed_at)
        SELECT u.id, %(program)s,
               CASE WHEN u.id %% 50 = 0 THEN 'left' WHEN u.id %% 97 = 0 THEN 'paused'
                    WHEN u.id %% 89 = 0 THEN 'invited' ELSE 'active' END,
               now(), now()
        FROM portal_user u WHERE u.email LIKE '%%@bench.test'""",
    """INSERT INTO programs_enrolmentevent (enrolment_id, from_status, to_status, reason, created_at)
        SELECT e.id, '', 'invited', '', timestamp '2024-12-01' + (e.id %% 600) * interval '1 day'
        FROM programs_enrolment e WHERE e.program_id = %(program)s""",
    """INSERT INTO programs_enrolmentevent (enrolment_id, from_status, to_status, reason, created_at)
        SELECT e.id, 'invited', 'active', '', timestamp '2024-12-02' + (e.id %% 600) * interval '1 day'
        FROM programs_enrolment e WHERE e.program_id = %(program)s AND e.status <> 'invited'""",
    """INSERT INTO programs_enrolmentevent (enrolment_id, from_status, to_status, reason, created_at)
        SELECT e.id, 'active', e.status, 'bench', timestamp '2025-09-01' + (e.id %% 300) * interval '1 day'
        FROM programs_enrolment e WHERE e.program_id = %(program)s AND e.status IN ('left', 'paused')""",
    # Hours: a million entries, mostly approved.
    f"""INSERT INTO programs_timeentry (program_id, user_id, worked_on, minutes, category, note, status,
            created_at, status_changed_at)
        SELECT %(program)s, u.first + (i %% {ARTISTS}), date '2025-01-01' + (i %% 690), 30 + (i * 7) %% 240,
               'testing', '',
               CASE WHEN i %% 10 = 0 THEN 'pending' WHEN i %% 23 = 0 THEN 'queried'
                    WHEN i %% 31 = 0 THEN 'withdrawn' ELSE 'approved' END,
               now(), now()
        FROM generate_series(1, {TIME_ENTRIES}) i,
             (SELECT min(id) AS first FROM portal_user WHERE email LIKE '%%@bench.test') u""",
    # The ledger: earnings, payouts every few lines, and a thousand reversals of earlier lines.
    f"""INSERT INTO programs_ledgerline (program_id, user_id, kind, source, amount, currency, booked_on,
            idempotency_key, label, source_url, method, external_reference, reason, created_at)
        SELECT %(program)s, u.first + (i %% {ARTISTS}),
               CASE WHEN i %% 5 = 0 THEN 'paid' ELSE 'earned' END,
               CASE WHEN i %% 5 = 0 THEN 'payout' ELSE 'hours' END,
               CASE WHEN i %% 5 = 0 THEN 40.00 ELSE 12.50 + (i %% 40) END,
               'EUR', date '2025-01-01' + (i %% 690), 'bench:' || i, 'Bench line', '',
               CASE WHEN i %% 5 = 0 THEN 'bank_transfer' ELSE '' END, '', '', now()
        FROM generate_series(1, {LEDGER_LINES - 1000}) i,
             (SELECT min(id) AS first FROM portal_user WHERE email LIKE '%%@bench.test') u""",
    """INSERT INTO programs_ledgerline (program_id, user_id, kind, source, amount, currency, booked_on,
            idempotency_key, label, source_url, method, external_reference, reason, created_at, reverses_id)
        SELECT program_id, user_id, 'reversed', 'reversal', amount, currency, booked_on + 3,
               'bench:reverse:' || id, 'Reversal', '', '', '', 'bench', now(), id
        FROM programs_ledgerline WHERE program_id = %(program)s AND id %% 997 = 0 LIMIT 1000""",
    # Bug reports and feedback.
    f"""INSERT INTO submissions_bugreport (program_id, reporter_id, title, what_happened, steps_to_reproduce,
            expected_result, actual_result, artist_severity, model_version, prompt, generation_settings, status,
            final_severity, created_at, updated_at, submitted_at, status_changed_at)
        SELECT %(program)s, u.first + (i * 13 %% {ARTISTS}), 'Bug ' || i, '', '', '', '', 'medium', '0.9', '', '',
               (ARRAY['new','triaged','confirmed','fixed','not_a_bug','wont_fix','needs_info'])[1 + i %% 7], '',
               now(), now(), timestamp '2025-01-01' + (i %% 690) * interval '1 day', now()
        FROM generate_series(1, 20000) i,
             (SELECT min(id) AS first FROM portal_user WHERE email LIKE '%%@bench.test') u""",
    f"""INSERT INTO submissions_feedback (program_id, author_id, kind, body, status, created_at, status_changed_at)
        SELECT %(program)s, u.first + (i * 17 %% {ARTISTS}), 'idea', 'Idea ' || i,
               CASE WHEN i %% 3 = 0 THEN 'new' ELSE 'answered' END,
               timestamp '2025-01-01' + (i %% 690) * interval '1 day', now()
        FROM generate_series(1, 20000) i,
             (SELECT min(id) AS first FROM portal_user WHERE email LIKE '%%@bench.test') u""",
    """INSERT INTO submissions_feedbackevent (feedback_id, kind, from_value, to_value, reason, created_at)
        SELECT id, 'status', 'new', 'answered', 'Thanks', created_at + interval '30 hours'
        FROM submissions_feedback WHERE program_id = %(program)s AND status = 'answered'""",
]

# The same figures, as one would write them by hand in SQL (what the report must not be much slower than).
RAW_SQL = [
    "SELECT status, count(*) FROM programs_enrolment WHERE program_id = %(program)s GROUP BY status",
    """SELECT date_trunc('month', first_invited) AS month, count(*) FROM (
         SELECT e.id,
           coalesce(min(ev.created_at) FILTER (WHERE ev.to_status = 'invited'), e.created_at) AS first_invited
         FROM programs_enrolment e LEFT JOIN programs_enrolmentevent ev ON ev.enrolment_id = e.id
         WHERE e.program_id = %(program)s GROUP BY e.id) f GROUP BY 1""",
    """SELECT count(DISTINCT e.user_id) FROM programs_enrolment e
       WHERE e.program_id = %(program)s AND (e.status IN ('active', 'paused') OR EXISTS (
         SELECT 1 FROM programs_enrolmentevent ev WHERE ev.enrolment_id = e.id AND ev.to_status = 'active'))""",
    """WITH months AS (SELECT generate_series(date_trunc('month', min(created_at)), date_trunc('month', now()),
                                          interval '1 month') + interval '1 month' AS month_end
                     FROM programs_enrolmentevent)
       SELECT m.month_end, count(*) FILTER (WHERE s.to_status = 'active') FROM months m
       CROSS JOIN LATERAL (
         SELECT DISTINCT ON (ev.enrolment_id) ev.to_status FROM programs_enrolmentevent ev
         JOIN programs_enrolment e ON e.id = ev.enrolment_id
         WHERE e.program_id = %(program)s AND ev.created_at < m.month_end
         ORDER BY ev.enrolment_id, ev.created_at DESC) s GROUP BY m.month_end""",
    "SELECT count(*) FROM programs_programrole WHERE program_id = %(program)s AND role = 'reviewer'",
    """SELECT count(DISTINCT e.user_id) FROM programs_trustedpublisher t
       JOIN programs_enrolment e ON e.id = t.enrolment_id
       WHERE e.program_id = %(program)s AND e.status = 'active' AND t.revoked_at IS NULL""",
    """SELECT date_trunc('month', worked_on) AS month,
         sum(minutes) FILTER (WHERE status IN ('pending', 'queried', 'approved')),
         count(DISTINCT user_id) FILTER (WHERE status IN ('pending', 'queried', 'approved')),
         sum(minutes) FILTER (WHERE status = 'approved'), count(DISTINCT user_id) FILTER (WHERE status = 'approved'),
         sum(minutes) FILTER (WHERE status IN ('pending', 'queried')),
         count(DISTINCT user_id) FILTER (WHERE status IN ('pending', 'queried'))
       FROM programs_timeentry WHERE program_id = %(program)s GROUP BY 1""",
    """SELECT sum(minutes) FILTER (WHERE status IN ('pending', 'queried', 'approved')),
         count(DISTINCT user_id) FILTER (WHERE status IN ('pending', 'queried', 'approved')),
         sum(minutes) FILTER (WHERE status = 'approved'), count(DISTINCT user_id) FILTER (WHERE status = 'approved'),
         sum(minutes) FILTER (WHERE status IN ('pending', 'queried')),
         count(DISTINCT user_id) FILTER (WHERE status IN ('pending', 'queried'))
       FROM programs_timeentry WHERE program_id = %(program)s""",
    """SELECT user_id, sum(minutes) FROM programs_timeentry
       WHERE program_id = %(program)s AND status IN ('pending', 'queried', 'approved') GROUP BY user_id""",
    """SELECT count(*), count(DISTINCT reporter_id),
         count(*) FILTER (WHERE status IN ('new', 'triaged', 'needs_info')),
         count(DISTINCT reporter_id) FILTER (WHERE status IN ('new', 'triaged', 'needs_info')),
         count(*) FILTER (WHERE status IN ('confirmed', 'fixed')),
         count(DISTINCT reporter_id) FILTER (WHERE status IN ('confirmed', 'fixed')),
         count(*) FILTER (WHERE status = 'fixed'), count(DISTINCT reporter_id) FILTER (WHERE status = 'fixed'),
         count(*) FILTER (WHERE status = 'confirmed'), count(DISTINCT reporter_id) FILTER (WHERE status = 'confirmed'),
         count(*) FILTER (WHERE status = 'duplicate'), count(DISTINCT reporter_id) FILTER (WHERE status = 'duplicate'),
         count(*) FILTER (WHERE status IN ('not_a_bug', 'wont_fix')),
         count(DISTINCT reporter_id) FILTER (WHERE status IN ('not_a_bug', 'wont_fix'))
       FROM submissions_bugreport WHERE program_id = %(program)s AND status <> 'draft'""",
    """SELECT date_trunc('month', submitted_at), count(*), count(DISTINCT reporter_id) FROM submissions_bugreport
       WHERE program_id = %(program)s AND status <> 'draft' GROUP BY 1""",
    """WITH answered AS (
         SELECT f.id, f.author_id, f.created_at, least(
           (SELECT min(r.created_at) FROM submissions_feedbackresponse r WHERE r.feedback_id = f.id AND r.from_staff),
           (SELECT min(ev.created_at) FROM submissions_feedbackevent ev
              WHERE ev.feedback_id = f.id AND ev.kind = 'status'
              AND ev.to_value IN ('answered', 'planned', 'declined'))) AS first_answer
         FROM submissions_feedback f WHERE f.program_id = %(program)s)
       SELECT date_trunc('month', created_at), count(*), count(DISTINCT author_id), count(first_answer),
         count(DISTINCT author_id) FILTER (WHERE first_answer IS NOT NULL),
         count(DISTINCT author_id) FILTER (WHERE first_answer IS NULL),
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_answer - created_at))
       FROM answered GROUP BY ROLLUP (1)""",
    """SELECT l.user_id, l.currency,
         sum(l.amount) FILTER (WHERE l.kind = 'earned'),
         sum(l.amount) FILTER (WHERE l.kind = 'reversed' AND r.kind = 'earned'),
         count(*) FILTER (WHERE l.kind = 'earned' OR (l.kind = 'reversed' AND r.kind = 'earned')),
         sum(l.amount) FILTER (WHERE l.kind = 'paid'),
         sum(l.amount) FILTER (WHERE l.kind = 'reversed' AND r.kind = 'paid'),
         count(*) FILTER (WHERE l.kind = 'paid' OR (l.kind = 'reversed' AND r.kind = 'paid'))
       FROM programs_ledgerline l LEFT JOIN programs_ledgerline r ON r.id = l.reverses_id
       WHERE l.program_id = %(program)s GROUP BY l.user_id, l.currency""",
    """SELECT date_trunc('month', l.booked_on), l.currency,
         sum(l.amount) FILTER (WHERE l.kind = 'earned'),
         sum(l.amount) FILTER (WHERE l.kind = 'reversed' AND r.kind = 'earned'),
         count(DISTINCT l.user_id) FILTER (WHERE l.kind = 'earned' OR (l.kind = 'reversed' AND r.kind = 'earned')),
         sum(l.amount) FILTER (WHERE l.kind = 'paid'),
         sum(l.amount) FILTER (WHERE l.kind = 'reversed' AND r.kind = 'paid'),
         count(DISTINCT l.user_id) FILTER (WHERE l.kind = 'paid' OR (l.kind = 'reversed' AND r.kind = 'paid'))
       FROM programs_ledgerline l LEFT JOIN programs_ledgerline r ON r.id = l.reverses_id
       WHERE l.program_id = %(program)s GROUP BY 1, 2""",
    """SELECT c.currency, count(*), sum(c.amount), count(DISTINCT c.user_id) FROM programs_credit c
       WHERE c.program_id = %(program)s AND c.kind = 'award' AND NOT EXISTS (
         SELECT 1 FROM programs_ledgerline l JOIN programs_ledgerline r ON r.reverses_id = l.id
         WHERE l.credit_id = c.id)
       GROUP BY c.currency""",
]


def seed():
    from django.db import connection

    from portal.models import User
    from programs.models import Program, ProgramRole

    program = Program.objects.create(slug="bench", name="Bench", pitch="Benchmark.", status="running")
    reviewer = User.objects.create_user(email="reviewer@bench.example", password=None)
    ProgramRole.objects.create(user=reviewer, program=program, role=ProgramRole.Role.REVIEWER)
    with connection.cursor() as cursor:
        for statement in SEED_SQL + seed_approvals_sql():
            cursor.execute(statement, {"program": program.pk, "reviewer": reviewer.pk})
        cursor.execute("ANALYZE")
    return program


def seed_approvals_sql() -> list[str]:
    return []


def run_raw_sql(program) -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for statement in RAW_SQL + raw_approvals_sql():
            cursor.execute(statement, {"program": program.pk})
            rows += len(cursor.fetchall())
    return rows


def raw_approvals_sql() -> list[str]:
    return []


def main() -> int:
    use_fresh_database(DATABASE)
    try:
        from django.db import connection
        from django.test import Client

        from programs.transparency import forget

        program = seed()
        client = Client()
        url = f"/programs/{program.slug}/transparency/"

        def render():
            forget(program)  # uncached: every run computes the report from the records
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        first = render()
        assert "Hours logged" in first.text
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            render()
        raw_rows = run_raw_sql(program)
        page_s = median_seconds(render, runs=RUNS, warmup=1)
        raw_s = median_seconds(lambda: run_raw_sql(program), runs=RUNS, warmup=1)
    finally:
        drop_database(DATABASE)
    ratio = page_s / raw_s
    print(
        f"{ARTISTS:,} artists, {VIDEOS:,} videos, {TIME_ENTRIES:,} time entries, {LEDGER_LINES:,} ledger lines "
        f"on PostgreSQL; median of {RUNS} runs"
    )
    print(f"report page, uncached : {page_s * 1000:8.1f} ms ({len(queries)} SQL queries, page and all)")
    print(
        f"raw SQL aggregates    : {raw_s * 1000:8.1f} ms "
        f"({len(RAW_SQL) + len(raw_approvals_sql())} queries, {raw_rows} rows)"
    )
    print(f"ratio page/raw SQL    : {ratio:.2f} (the issue asks for at most {MAX_RATIO})")
    return 0 if ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
