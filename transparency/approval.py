"""Approval figures: videos through review, decisions and their timing, appeals, publication.

Read-only over submissions' approval records (the one place programs reads submissions models).
"""

from collections import defaultdict

from django.db.models import Count, F, Q

from transparency.figures import (
    ALL,
    EpochSeconds,
    Figures,
    PercentileCont,
    duration_hours,
    month_of,
    percentile,
    share,
    sql_percentiles,
)

FRACTIONS = {"decision_hours_median": 0.5, "decision_hours_p90": 0.9}


def approval_figures(figures: Figures) -> None:
    from submissions.models import Appeal, Decision, Video, VideoReview

    program = figures.program
    S, K = Video.Status, VideoReview.ApprovalKind
    reviews = VideoReview.objects.filter(video__program=program).exclude(
        video__status__in=[S.UPLOADED, S.PROCESSING, S.REJECTED_INVALID]
    )
    artist = "video__artist"

    def counted(queryset, date_field: str, figure: str, whole_filter: Q | None = None) -> None:
        """A monthly series: count and distinct artists per month of `date_field`, and over the whole program."""
        rows = (
            queryset.annotate(month=figures.bucket(date_field))
            .values("month")
            .annotate(n=Count("pk"), artists=Count(artist, distinct=True))
        )
        whole = queryset.aggregate(n=Count("pk"), artists=Count(artist, distinct=True))
        figures.add_series(
            figure, {month_of(r["month"]): (r["n"], r["artists"]) for r in rows}, (whole["n"], whole["artists"])
        )

    counted(reviews, "opened_at", "videos_submitted")
    decided = reviews.filter(decided_at__isnull=False).exclude(approval_kind=K.WITHOUT_REVIEW)
    counted(decided, "decided_at", "videos_decided")
    rejections = Decision.objects.filter(video__program=program, outcome=Decision.Outcome.REJECT)
    counted(rejections, "created_at", "rejected")
    published = reviews.filter(published_at__isnull=False)
    counted(published, "published_at", "published")
    _timing(figures, decided)
    _kinds(figures, reviews, K)
    changes = Decision.objects.filter(video__program=program, outcome=Decision.Outcome.REQUEST_CHANGES).aggregate(
        n=Count("video", distinct=True), artists=Count(artist, distinct=True)
    )
    figures.add(ALL, "changes_requested", changes["n"], changes["artists"])
    by_reason = rejections.values("reason_code__code", "reason_code__title").annotate(
        n=Count("pk"), artists=Count(artist, distinct=True)
    )
    parts = []
    for row in by_reason.order_by("reason_code__code"):
        code = row["reason_code__code"]
        figures.labels[code] = row["reason_code__title"]
        parts.append(figures.add(ALL, "rejections_by_reason", row["n"], row["artists"], dim=code))
    figures.relate((ALL, "rejected", ""), parts)
    appeals = Appeal.objects.filter(video__program=program)
    overturned = [Appeal.Outcome.OVERTURNED, Appeal.Outcome.OVERTURNED_BY_DEADLINE]
    totals = appeals.aggregate(
        appealed=Count("pk"),
        appealed_artists=Count(artist, distinct=True),
        upheld=Count("pk", filter=Q(outcome=Appeal.Outcome.UPHELD)),
        upheld_artists=Count(artist, distinct=True, filter=Q(outcome=Appeal.Outcome.UPHELD)),
        overturned=Count("pk", filter=Q(outcome__in=overturned)),
        overturned_artists=Count(artist, distinct=True, filter=Q(outcome__in=overturned)),
        open=Count("pk", filter=Q(outcome="")),
        open_artists=Count(artist, distinct=True, filter=Q(outcome="")),
    )
    keys = {
        name: figures.add(ALL, figure, totals[name], totals[f"{name}_artists"])
        for name, figure in (
            ("appealed", "appealed"),
            ("upheld", "appeals_upheld"),
            ("overturned", "appeals_overturned"),
            ("open", "_appeals_open"),
        )
    }
    figures.relate(keys["appealed"], [keys["upheld"], keys["overturned"], keys["open"]])


def _kinds(figures: Figures, reviews, K) -> None:
    names = {
        K.REVIEWED: "approved_by_reviewers",
        K.DEADLINE: "approved_by_deadline",
        K.WITHOUT_REVIEW: "approved_without_review",
        K.APPEAL: "approved_on_appeal",
        K.APPEAL_DEADLINE: "approved_on_appeal_by_deadline",
        # Approved by deadline when nobody was able to decide: part of the approved total, never published as
        # the reviewers' miss (approved_by_deadline).
        K.NO_REVIEWER: "_approved_no_reviewer",
    }
    approved = ~Q(approval_kind="")
    without, after = Q(approval_kind=K.WITHOUT_REVIEW), ~Q(approval_kind=K.WITHOUT_REVIEW)
    aggregates = {
        "approved": Count("pk", filter=approved),
        "approved_a": Count("video__artist", distinct=True, filter=approved),
    }
    for kind in names:
        aggregates[kind] = Count("pk", filter=Q(approval_kind=kind))
        aggregates[f"{kind}_a"] = Count("video__artist", distinct=True, filter=Q(approval_kind=kind))
    published = Q(published_at__isnull=False)
    aggregates["pub_without"] = Count("pk", filter=published & without)
    aggregates["pub_without_a"] = Count("video__artist", distinct=True, filter=published & without)
    aggregates["pub_after"] = Count("pk", filter=published & after)
    aggregates["pub_after_a"] = Count("video__artist", distinct=True, filter=published & after)
    row = reviews.aggregate(**aggregates)
    total = figures.add(ALL, "videos_approved", row["approved"], row["approved_a"])
    figures.relate(total, [figures.add(ALL, name, row[kind], row[f"{kind}_a"]) for kind, name in names.items()])
    figures.relate(
        (ALL, "published", ""),
        [
            figures.add(ALL, "published_without_review", row["pub_without"], row["pub_without_a"]),
            figures.add(ALL, "_published_after_review", row["pub_after"], row["pub_after_a"]),
        ],
    )


def _timing(figures: Figures, decided) -> None:
    """Median and 90th percentile time to decision, and the share inside the deadline: whole and per month."""
    inside = Q(deadline_at__isnull=False, deadline_missed=False, decided_at__lte=F("deadline_at"))
    # A review nobody was able to decide (VideoReview.ApprovalKind.NO_REVIEWER) is no reviewers' decision.
    outside = Q(deadline_at__isnull=False) & ~inside & ~Q(approval_kind="no_reviewer")
    counts = {
        "inside": Count("pk", filter=inside),
        "inside_a": Count("video__artist", distinct=True, filter=inside),
        "outside": Count("pk", filter=outside),
        "outside_a": Count("video__artist", distinct=True, filter=outside),
        "artists": Count("video__artist", distinct=True),
        "deadline_a": Count("video__artist", distinct=True, filter=Q(deadline_at__isnull=False)),
    }
    if sql_percentiles():
        seconds = EpochSeconds(F("decided_at"), F("opened_at"))
        counts.update({name: PercentileCont(seconds, fraction) for name, fraction in FRACTIONS.items()})
        rows = {
            month_of(r["month"]): r
            for r in decided.annotate(month=figures.bucket("decided_at")).values("month").annotate(**counts)
        }
        rows[ALL] = decided.aggregate(**counts)
    else:  # SQLite has no percentile_cont: the same interpolation in Python over the durations
        rows = {
            month_of(r["month"]): r
            for r in decided.annotate(month=figures.bucket("decided_at")).values("month").annotate(**counts)
        }
        rows[ALL] = decided.aggregate(**counts)
        durations = defaultdict(list)
        for opened, closed in decided.values_list("opened_at", "decided_at"):
            seconds = (closed - opened).total_seconds()
            durations[ALL].append(seconds)
            durations[figures.month_key(closed)].append(seconds)
        for period, row in rows.items():
            for name, fraction in FRACTIONS.items():
                row[name] = percentile(durations[period], fraction)
    for period, row in rows.items():
        for name in FRACTIONS:
            figures.add(period, name, duration_hours(row[name]), row["artists"])
        figures.add(period, "_decided_inside_deadline", row["inside"], row["inside_a"])
        figures.add(period, "_decided_outside_deadline", row["outside"], row["outside_a"])
        figures.add(
            period,
            "decisions_inside_deadline_share",
            share(row["inside"], row["inside"] + row["outside"]),
            row["deadline_a"],
            depends_on=("_decided_inside_deadline", "_decided_outside_deadline"),
        )
