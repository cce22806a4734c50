"""Releases: the versions of the public report, each covering the events of at least five artists.

Suppression protects the figures of one report. Two versions read a minute apart would still show one artist's
event by difference (one approved hour: +1 h and +30 EUR), so the public report only changes in batches: a new
release is computed when the artists whose records changed since the previous release number at least the
suppression threshold. Between releases every public surface (page, JSON, CSV, home page, snapshots) shows the
last release, however often it is read.

A change is any record of an artist in the program created or moved since the previous release: enrolment
history, hours and their history, ledger lines, bug reports and feedback with their history and answers, videos
with their history, review decisions, appeals, trusted-publisher grants, grant applications and their
history, RSVPs and attendance. Whatever a public figure counts is among
them, so a figure can only move together with the records of five or more artists.
"""

import datetime as dt

from django.db.models import Q

from programs.models import Enrolment, EnrolmentEvent, LedgerLine, Program, TimeEntry, TimeEntryEvent, TrustedPublisher
from transparency.models import TransparencyRelease
from transparency.privacy import THRESHOLD


def _changes(program: Program, since: dt.datetime) -> list:
    """(queryset of artist ids, ...) of every record kind a public figure reads, changed after `since`."""
    from calls.models import GrantApplication, GrantApplicationEvent, RsvpEvent
    from submissions.models import (
        Appeal,
        BugReport,
        BugReportEvent,
        Decision,
        Feedback,
        FeedbackEvent,
        FeedbackResponse,
        VideoEvent,
        VideoReview,
    )

    after = {"created_at__gt": since}
    return [
        Enrolment.objects.filter(Q(created_at__gt=since) | Q(status_changed_at__gt=since), program=program)
        .values_list("user_id"),
        EnrolmentEvent.objects.filter(enrolment__program=program, **after).values_list("enrolment__user_id"),
        TimeEntry.objects.filter(Q(created_at__gt=since) | Q(status_changed_at__gt=since), program=program)
        .values_list("user_id"),
        TimeEntryEvent.objects.filter(entry__program=program, **after).values_list("entry__user_id"),
        LedgerLine.objects.filter(program=program, **after).values_list("user_id"),
        TrustedPublisher.objects.filter(Q(granted_at__gt=since) | Q(revoked_at__gt=since), enrolment__program=program)
        .values_list("enrolment__user_id"),
        BugReport.objects.filter(Q(submitted_at__gt=since) | Q(status_changed_at__gt=since), program=program)
        .values_list("reporter_id"),
        BugReportEvent.objects.filter(report__program=program, **after).values_list("report__reporter_id"),
        Feedback.objects.filter(Q(created_at__gt=since) | Q(status_changed_at__gt=since), program=program)
        .values_list("author_id"),
        FeedbackEvent.objects.filter(feedback__program=program, **after).values_list("feedback__author_id"),
        FeedbackResponse.objects.filter(feedback__program=program, **after).values_list("feedback__author_id"),
        VideoEvent.objects.filter(video__program=program, **after).values_list("video__artist_id"),
        VideoReview.objects.filter(
            Q(opened_at__gt=since) | Q(decided_at__gt=since) | Q(published_at__gt=since), video__program=program
        ).values_list("video__artist_id"),
        Decision.objects.filter(video__program=program, **after).values_list("video__artist_id"),
        Appeal.objects.filter(Q(created_at__gt=since) | Q(decided_at__gt=since), video__program=program)
        .values_list("video__artist_id"),
        GrantApplication.objects.filter(Q(created_at__gt=since) | Q(status_changed_at__gt=since),
                                        round__program=program).values_list("applicant_id"),
        GrantApplicationEvent.objects.filter(application__round__program=program, **after)
        .values_list("application__applicant_id"),
        RsvpEvent.objects.filter(rsvp__event__program=program, **after).values_list("rsvp__user_id"),
    ]  # fmt: skip


def artists_changed_since(program: Program, since: dt.datetime) -> int:
    """Distinct artists with a change after `since`: one query (a UNION of the record kinds)."""
    first, *rest = (queryset.order_by() for queryset in _changes(program, since))
    return len({user_id for (user_id,) in first.union(*rest).order_by()})


def latest(program: Program) -> TransparencyRelease | None:
    return TransparencyRelease.objects.filter(program=program).order_by("-computed_at").first()


def record(program: Program, *, data: dict, computed_at: dt.datetime, artists_changed: int | None):
    return TransparencyRelease.objects.create(
        program=program, data=data, computed_at=computed_at, artists_changed=artists_changed
    )


__all__ = ["THRESHOLD", "artists_changed_since", "latest", "record"]
