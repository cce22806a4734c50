"""Benchmark: the reviewer queue against the Django admin's change list of the same videos.

Seeds 20,000 videos waiting for review in a throwaway PostgreSQL database, renders the reviewer queue and
the admin change list (both 100 rows a page, both through Django's full request cycle, logged in) and
prints their median render times and the ratio. The issue asks for a ratio of at most 1.

    .venv/bin/python benchmarks/review_queue.py            # BENCH_POSTGRES=postgres://... to point elsewhere
"""

import datetime as dt
import sys

from _setup import drop_database, median_pair_seconds, use_fresh_database

DATABASE = "glasshouse_bench_queue"
WAITING = 20_000
RUNS = 15


def seed():
    from django.utils import timezone

    from portal.models import User
    from programs.models import Enrolment, Program, ProgramRole
    from submissions.models import ReviewerGroup, ReviewPolicy, ReviewStep, Video, VideoReview

    program = Program.objects.create(slug="bench", name="Bench", pitch="p", status="open")
    ReviewPolicy.objects.create(program=program, deadline_business_days=3)
    reviewer = User.objects.create_user(email="reviewer@bench.test", password=None, display_name="Reviewer")
    admin = User.objects.create_superuser(email="admin@bench.test", password=None)
    ProgramRole.objects.create(user=reviewer, program=program, role=ProgramRole.Role.REVIEWER)
    group = ReviewerGroup.objects.create(program=program, name="Safety")
    group.members.add(reviewer)
    step = ReviewStep.objects.create(program=program, position=1, name="Safety", group=group)
    artists = User.objects.bulk_create(
        [User(email=f"artist{i}@bench.test", display_name=f"Artist {i}") for i in range(200)]
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(user=a, program=program, status=Enrolment.Status.ACTIVE) for a in artists]
    )
    now = timezone.now()
    videos = Video.objects.bulk_create(
        [
            Video(
                program=program,
                enrolment=enrolments[i % 200],
                artist=artists[i % 200],
                status=Video.Status.PENDING_REVIEW,
                source=Video.Source.UPLOAD,
                title=f"Video {i}",
                prompt=f"A glass city at dawn, take {i}",
                model_name="Lumen",
                model_version="0.9",
                poster=f"videos/{i}/poster.jpg",
                duration_seconds=4,
                width=1280,
                height=720,
            )
            for i in range(WAITING)
        ],
        batch_size=2000,
    )
    VideoReview.objects.bulk_create(
        [
            VideoReview(video=v, current_step=step, opened_at=now, deadline_at=now + dt.timedelta(minutes=i))
            for i, v in enumerate(videos)
        ],
        batch_size=2000,
    )
    return reviewer, admin


def main() -> int:
    use_fresh_database(DATABASE)
    try:
        from django.db import connection
        from django.test import Client

        from tests.conftest import pass_second_factor

        reviewer, admin = seed()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        queue, changelist = Client(), Client()
        queue.force_login(reviewer)
        changelist.force_login(admin)
        pass_second_factor(changelist, admin)  # staff pages need it (accounts/second_factor.py)

        def get(client, url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        queue_url, admin_url = "/review/?per_page=100", "/admin/submissions/video/"
        assert f'data-testid="waiting-count">{WAITING}<' in get(queue, queue_url).text
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            get(queue, queue_url)
        queue_s, admin_s = median_pair_seconds(
            lambda: get(queue, queue_url), lambda: get(changelist, admin_url), runs=RUNS
        )
    finally:
        drop_database(DATABASE)
    ratio = queue_s / admin_s
    print(f"{WAITING} waiting videos on PostgreSQL, 100 rows a page, median of {RUNS} renders")
    print(f"reviewer queue  : {queue_s * 1000:7.1f} ms ({len(queries)} SQL queries)")
    print(f"admin changelist: {admin_s * 1000:7.1f} ms")
    print(f"ratio queue/admin: {ratio:.2f} (the issue asks for at most 1.00)")
    return 0 if ratio <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
