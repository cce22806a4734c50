"""Grant figures for the Opportunities section: applications, awards, declines, the median time to a decision and
the decisions that missed their public deadline. Built like the other sections (a constant number of aggregate
queries; each cell knows how many distinct artists it comes from, so small cells are suppressed)."""

from django.db.models import Count, F, Q
from django.utils import timezone

from calls.models import GrantApplication
from transparency.figures import ALL, Figures, duration_hours, month_of, percentile

S = GrantApplication.Status


def grant_figures(figures: Figures) -> None:
    applications = GrantApplication.objects.filter(round__program=figures.program)
    _series(figures, applications.exclude(status=S.WITHDRAWN), "created_at", "grant_applications")
    _series(figures, applications.filter(status=S.AWARDED, decided_at__isnull=False), "decided_at", "grant_awards")
    row = applications.aggregate(
        declines=Count("pk", filter=Q(status=S.DECLINED)),
        declined_artists=Count("applicant", distinct=True, filter=Q(status=S.DECLINED)),
        missed=Count("pk", filter=_missed()),
        missed_artists=Count("applicant", distinct=True, filter=_missed()),
    )
    figures.add(ALL, "grant_declines", row["declines"], row["declined_artists"])
    figures.add(ALL, "grant_deadlines_missed", row["missed"], row["missed_artists"])
    _decision_time(figures, applications.filter(decided_at__isnull=False))


def _missed() -> Q:
    """Decided after the deadline, or still waiting past it."""
    return Q(decided_at__gt=F("decision_due_at")) | Q(status=S.SUBMITTED, decision_due_at__lt=timezone.now())


def _series(figures: Figures, queryset, date_field: str, figure: str) -> None:
    aggregates = {"n": Count("pk"), "artists": Count("applicant", distinct=True)}
    rows = queryset.annotate(month=figures.bucket(date_field)).values("month").annotate(**aggregates)
    whole = queryset.aggregate(**aggregates)
    figures.add_series(
        figure, {month_of(r["month"]): (r["n"], r["artists"]) for r in rows}, (whole["n"], whole["artists"])
    )


def _decision_time(figures: Figures, decided) -> None:
    """Median hours from sending to the decision (a grant round has tens of applications: read in Python)."""
    rows = list(decided.values_list("applicant_id", "created_at", "decided_at"))
    seconds = [(decided_at - sent).total_seconds() for _, sent, decided_at in rows]
    artists = len({applicant for applicant, _, _ in rows})
    figures.add(ALL, "grant_decision_hours_median", duration_hours(percentile(seconds, 0.5)), artists)
