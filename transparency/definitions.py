"""Every figure of the transparency report: its stable name, where it sits, its unit and how it is defined.

Names are part of the open data (JSON, CSV) and never change meaning; a new figure gets a new name, and
schema.json beside this file is updated with it (a test compares the two). The definitions are shown on the
report page, where every figure links to its own.
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

SCHEMA = "glasshouse-transparency/1"
SECTIONS = {
    "people": _("People"),
    "work": _("Work"),
    "money": _("Money"),
    "approval": _("Approval"),
    "generation": _("Generation"),
    "opportunities": _("Opportunities"),
}

# Units: how a value is written in the data and shown on the page.
COUNT = "count"  # an integer
ARTISTS = "artists"  # an integer number of distinct artists
PEOPLE = "people"  # an integer number of people who are not artists
HOURS = "hours"  # a decimal string, two places ("12.50")
MONEY = "money"  # a decimal string with the decimals of the currency of its row (JPY none, EUR two, KWD three)
SHARE = "share"  # a decimal string between 0 and 1, four places ("0.8750")
DURATION = "duration_hours"  # elapsed hours, a decimal string, one place ("26.5")
MINUTES = "duration_minutes"  # elapsed minutes, a decimal string, one place ("3.5")
SECONDS = "seconds"  # an integer number of seconds of video

WHOLE, MONTHLY = "whole", "monthly"
SCOPE_LABELS = {WHOLE: _("whole"), MONTHLY: _("monthly")}
# How each unit reads on the page (the data keeps the stable names above).
UNIT_LABELS = {
    COUNT: _("count"),
    ARTISTS: _("artists"),
    PEOPLE: _("people"),
    HOURS: _("hours"),
    MONEY: _("money"),
    SHARE: _("share"),
    DURATION: _("elapsed hours"),
    MINUTES: _("elapsed minutes"),
    SECONDS: _("seconds of video"),
}


@dataclass(frozen=True)
class Figure:
    name: str
    section: str
    label: str
    unit: str
    definition: str
    scopes: tuple[str, ...] = (WHOLE, MONTHLY)
    per_currency: bool = False

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.unit, self.unit)

    @property
    def scope_labels(self) -> list[str]:
        return [str(SCOPE_LABELS.get(scope, scope)) for scope in self.scopes]


def _f(name, section, label, unit, definition, *, scopes=(WHOLE, MONTHLY), per_currency=False) -> Figure:
    return Figure(name, section, label, unit, _one_line(definition), scopes, per_currency)


W = (WHOLE,)
# The definitions are written over several lines; the page shows each on one line, in the reader's language.
_one_line = lazy(lambda text: " ".join(str(text).split()), str)
FIGURES: tuple[Figure, ...] = (
    # --- People -----------------------------------------------------------------------------------
    _f(
        "artists_invited",
        "people",
        _("Artists invited"),
        ARTISTS,
        _("""Artists offered a place in the program. Every
        enrolment starts with an invitation; each artist counts once, in the month of their first invitation."""),
    ),
    _f(
        "artists_active",
        "people",
        _("Artists active"),
        ARTISTS,
        _("""Artists whose enrolment is active: now for the
        whole program, at the end of the month (or now, for the current month) per month."""),
    ),
    _f(
        "artists_awaiting",
        "people",
        _("Invitations not yet accepted"),
        ARTISTS,
        _("""Artists invited who have not
        accepted yet."""),
        scopes=W,
    ),
    _f(
        "artists_paused",
        "people",
        _("Artists paused"),
        ARTISTS,
        _("""Artists whose enrolment is paused now (a break
        agreed with staff)."""),
        scopes=W,
    ),
    _f(
        "artists_left",
        "people",
        _("Artists who left"),
        ARTISTS,
        _("""Artists who left the program (or declined
        their invitation) and have not been invited again."""),
        scopes=W,
    ),
    _f(
        "artists_removed",
        "people",
        _("Artists removed"),
        ARTISTS,
        _("""Artists removed by staff, with a recorded
        reason, and not invited again. Invited = not yet accepted + active + paused + left + removed."""),
        scopes=W,
    ),
    _f(
        "reviewers",
        "people",
        _("Reviewers"),
        PEOPLE,
        _("""People who hold the reviewer role in the program now. Not
        artists, so never suppressed."""),
        scopes=W,
    ),
    _f(
        "trusted_publishers",
        "people",
        _("Trusted publishers"),
        ARTISTS,
        _("""Active artists exempted from review
        before publication. Why exemptions exist: staff grant one, with a recorded reason, to an artist whose
        work they already trust, so that reviewers' time goes to new work. The exemption is visible: those videos
        count as approved without review under Approval, and it ends when the artist leaves or staff revoke
        it."""),
        scopes=W,
    ),
    # --- Work ----------------------------------------------------------------------------------
    _f(
        "hours_logged",
        "work",
        _("Hours logged"),
        HOURS,
        _("""Hours artists logged: entries waiting, queried or
        approved (withdrawn entries and entries replaced by a correction are left out), by the day worked."""),
    ),
    _f(
        "hours_approved",
        "work",
        _("Hours approved"),
        HOURS,
        _("""The part of the hours logged that staff approved,
        by the day worked."""),
    ),
    _f(
        "bug_reports_filed",
        "work",
        _("Bug reports filed"),
        COUNT,
        _("""Bug reports artists submitted (drafts are not
        counted), by the month of submission."""),
    ),
    _f(
        "bug_reports_waiting",
        "work",
        _("Bug reports waiting"),
        COUNT,
        _("""Filed reports staff have not settled
        yet: new, triaged or waiting for information."""),
        scopes=W,
    ),
    _f(
        "bug_reports_confirmed",
        "work",
        _("Bug reports confirmed"),
        COUNT,
        _("""Filed reports staff confirmed as real
        bugs, including those since fixed."""),
        scopes=W,
    ),
    _f(
        "bug_reports_fixed",
        "work",
        _("Bug reports fixed"),
        COUNT,
        _("""Confirmed reports whose bug is fixed."""),
        scopes=W,
    ),
    _f(
        "bug_reports_duplicate",
        "work",
        _("Bug reports duplicate"),
        COUNT,
        _("""Filed reports of a bug that was
        already reported."""),
        scopes=W,
    ),
    _f(
        "bug_reports_declined",
        "work",
        _("Bug reports declined"),
        COUNT,
        _("""Filed reports closed as not a bug or
        won't fix. Filed = waiting + confirmed + duplicate + declined."""),
        scopes=W,
    ),
    _f(
        "feedback_items",
        "work",
        _("Feedback items"),
        COUNT,
        _("""Feedback artists sent (ideas, praise, problems,
        questions), by the month it was sent."""),
    ),
    _f(
        "feedback_answered",
        "work",
        _("Feedback answered by staff"),
        COUNT,
        _("""Feedback items staff answered: a
        written response in the item's thread, or the item settled as answered, planned or declined (which sends
        the artist staff's reason). Marked "read by staff" is not an answer. By the month the item was sent."""),
    ),
    _f(
        "feedback_answered_share",
        "work",
        _("Share of feedback answered"),
        SHARE,
        _("""Feedback answered by staff
        divided by feedback items."""),
    ),
    _f(
        "feedback_response_hours_median",
        "work",
        _("Median time to a staff response"),
        DURATION,
        _("""Median of the
        hours from a feedback item being sent to staff's first answer (see above), over the items answered."""),
    ),
    # --- Money -----------------------------------------------------------------------------------
    _f(
        "artists_taking_part",
        "money",
        _("Artists who took part"),
        ARTISTS,
        _("""Artists whose enrolment was active at
        some time: those who could earn."""),
        scopes=W,
    ),
    _f(
        "artists_paid",
        "money",
        _("Artists paid anything"),
        ARTISTS,
        _("""Artists who took part and received at least
        one payout that was not reversed."""),
        scopes=W,
    ),
    _f(
        "artists_paid_share",
        "money",
        _("Share of artists paid anything"),
        SHARE,
        _("""Artists paid anything divided
        by artists who took part."""),
        scopes=W,
    ),
    _f(
        "earned",
        "money",
        _("Earned"),
        MONEY,
        _("""Money artists earned: approved hours, accepted contributions,
        awards and stipends, less reversed earnings, by the statement month of each ledger line."""),
        per_currency=True,
    ),
    _f(
        "paid",
        "money",
        _("Paid"),
        MONEY,
        _("""Money paid out to artists, less payouts that failed and were reversed,
        by the statement month of each ledger line."""),
        per_currency=True,
    ),
    _f(
        "owed",
        "money",
        _("Owed"),
        MONEY,
        _("""Earned minus paid: what the program owes artists now."""),
        scopes=W,
        per_currency=True,
    ),
    _f(
        "hourly_rate_q1",
        "money",
        _("Effective hourly rate, lower quartile"),
        MONEY,
        _("""For each artist who logged
        hours: everything they earned divided by all the hours they logged (approved or not, so unpaid time
        lowers the rate). The 25th percentile across those artists (linear interpolation, as PostgreSQL's
        percentile_cont)."""),
        scopes=W,
        per_currency=True,
    ),
    _f(
        "hourly_rate_median",
        "money",
        _("Effective hourly rate, median"),
        MONEY,
        _("""The median of the artists'
        effective hourly rates (see the lower quartile for the rate)."""),
        scopes=W,
        per_currency=True,
    ),
    _f(
        "hourly_rate_q3",
        "money",
        _("Effective hourly rate, upper quartile"),
        MONEY,
        _("""The 75th percentile of the
        artists' effective hourly rates."""),
        scopes=W,
        per_currency=True,
    ),
    _f(
        "hourly_rate_artists",
        "money",
        _("Artists in the hourly rate figures"),
        ARTISTS,
        _("""Artists who logged hours
        and have earnings in this currency: the artists the quartiles are taken over."""),
        scopes=W,
        per_currency=True,
    ),
    _f(
        "awards",
        "money",
        _("Awards"),
        COUNT,
        _("""Awards granted (prizes, selections) whose payment was not reversed.
        """),
        scopes=W,
        per_currency=True,
    ),
    _f(
        "awards_total",
        "money",
        _("Awards total"),
        MONEY,
        _("""The sum of those awards."""),
        scopes=W,
        per_currency=True,
    ),
    _f(
        "awards_artists",
        "money",
        _("Artists who received an award"),
        ARTISTS,
        _("""Distinct artists among those
        awards."""),
        scopes=W,
        per_currency=True,
    ),
    # --- Approval --------------------------------------------------------------------------------
    _f(
        "videos_submitted",
        "approval",
        _("Videos submitted for review"),
        COUNT,
        _("""Videos that passed processing and
        entered review (a new version after a request for changes counts again), by the day they entered."""),
    ),
    _f(
        "videos_decided",
        "approval",
        _("Review decisions"),
        COUNT,
        _("""Reviews that ended: approved, changes
        requested or rejected by reviewers, or approved by deadline. Approvals without review are not counted.
        By the day the review ended."""),
    ),
    _f(
        "videos_approved",
        "approval",
        _("Videos approved"),
        COUNT,
        _("""Videos approved in any way. Approved = by
        reviewers + by deadline + without review + on appeal + on appeal by deadline."""),
        scopes=W,
    ),
    _f(
        "approved_by_reviewers",
        "approval",
        _("Approved by reviewers"),
        COUNT,
        _("""Every review step approved."""),
        scopes=W,
    ),
    _f(
        "approved_by_deadline",
        "approval",
        _("Approved by deadline"),
        COUNT,
        _("""No decision came within the
        program's review deadline, so the video was approved and the miss counted."""),
        scopes=W,
    ),
    _f(
        "approved_without_review",
        "approval",
        _("Approved without review"),
        COUNT,
        _("""Videos of trusted publishers,
        approved without review (see Trusted publishers)."""),
        scopes=W,
    ),
    _f(
        "approved_on_appeal",
        "approval",
        _("Approved on appeal"),
        COUNT,
        _("""Rejected, then the rejection was
        overturned by a reviewer who took no part in it."""),
        scopes=W,
    ),
    _f(
        "approved_on_appeal_by_deadline",
        "approval",
        _("Approved on appeal by deadline"),
        COUNT,
        _("""Rejected,
        appealed, and no decision on the appeal came within its deadline."""),
        scopes=W,
    ),
    _f(
        "changes_requested",
        "approval",
        _("Changes requested"),
        COUNT,
        _("""Videos on which a reviewer requested
        changes (citing a reason code)."""),
        scopes=W,
    ),
    _f(
        "rejected",
        "approval",
        _("Rejected"),
        COUNT,
        _("""Videos rejected by a reviewer (citing a reason code), by the
        day of the decision."""),
    ),
    _f("appealed", "approval", _("Appealed"), COUNT, _("""Rejections the artist appealed."""), scopes=W),
    _f(
        "appeals_upheld",
        "approval",
        _("Appeals upheld"),
        COUNT,
        _("""Appeals decided: the rejection stands."""),
        scopes=W,
    ),
    _f(
        "appeals_overturned",
        "approval",
        _("Appeals overturned"),
        COUNT,
        _("""Appeals that overturned the rejection,
        by a decision or by the appeal deadline."""),
        scopes=W,
    ),
    _f(
        "published",
        "approval",
        _("Published"),
        COUNT,
        _("""Approved videos their artist published in the gallery (even
        if later taken down), by the day of publication."""),
    ),
    _f(
        "published_without_review",
        "approval",
        _("Published without review"),
        COUNT,
        _("""Published videos that were
        approved without review."""),
        scopes=W,
    ),
    _f(
        "decision_hours_median",
        "approval",
        _("Median time to decision"),
        DURATION,
        _("""Median of the hours from a
        video entering review to its review ending (see Review decisions), over the reviews that ended."""),
    ),
    _f(
        "decision_hours_p90",
        "approval",
        _("90th percentile time to decision"),
        DURATION,
        _("""Nine in ten reviews
        ended within this many hours."""),
    ),
    _f(
        "decisions_inside_deadline_share",
        "approval",
        _("Share of decisions inside the deadline"),
        SHARE,
        _("""Of the
        review decisions that had a deadline, the share made by reviewers before it passed; approvals by
        deadline count as outside."""),
    ),
    _f(
        "rejections_by_reason",
        "approval",
        _("Rejections by reason code"),
        COUNT,
        _("""Rejections, by the reason code of
        the program's review policy that the reviewer cited. They add up to Rejected."""),
        scopes=W,
    ),
    # --- Generation (the studio) -------------------------------------------------------------------
    _f(
        "generation_jobs",
        "generation",
        _("Clips requested"),
        COUNT,
        _("""Clips artists asked for in the studio, by the month
        they asked, whatever became of them."""),
    ),
    _f(
        "generation_jobs_finished",
        "generation",
        _("Clips generated"),
        COUNT,
        _("""Clips the model finished and the portal took in as
        videos (each then goes to review like any video), by the month they finished."""),
    ),
    _f(
        "generation_seconds",
        "generation",
        _("Seconds generated"),
        SECONDS,
        _("""The length, in seconds, of the clips generated (as
        asked for), by the month they finished."""),
    ),
    _f(
        "generation_wait_minutes_median",
        "generation",
        _("Median wait in the queue"),
        MINUTES,
        _("""Median of the minutes from a clip's request to the
        model starting it, over the clips that started, by the month they started."""),
    ),
    _f(
        "generation_jobs_failed",
        "generation",
        _("Clips failed"),
        COUNT,
        _("""Clips that failed or expired, by the month they ended. The
        reasons below add up to it."""),
    ),
    _f(
        "generation_failure_share",
        "generation",
        _("Failure rate"),
        SHARE,
        _("""Of the clips that ended (generated, failed or expired; not
        cancelled), the share that failed or expired."""),
        scopes=W,
    ),
    _f(
        "generation_failed_safety",
        "generation",
        _("Failed: refused by the model's safety system"),
        COUNT,
        _("""Clips that failed because the provider's safety system refused the prompt or the reference image."""),
        scopes=W,
    ),
    _f(
        "generation_failed_invalid_input",
        "generation",
        _("Failed: setting not accepted"),
        COUNT,
        _("""Clips that failed because the provider did not accept a setting."""),
        scopes=W,
    ),
    _f(
        "generation_failed_throttled",
        "generation",
        _("Failed: provider too busy"),
        COUNT,
        _("""Clips that failed because the provider refused for load or quota."""),
        scopes=W,
    ),
    _f(
        "generation_failed_result_expired",
        "generation",
        _("Failed: result expired"),
        COUNT,
        _("""Clips that failed because the result link expired at the provider before it was saved."""),
        scopes=W,
    ),
    _f(
        "generation_failed_provider_error",
        "generation",
        _("Failed: provider error"),
        COUNT,
        _("""Clips that failed because the provider failed on its side."""),
        scopes=W,
    ),
    _f(
        "generation_failed_unreachable",
        "generation",
        _("Failed: provider unreachable"),
        COUNT,
        _("""Clips that failed because the provider could not be reached or was not configured."""),
        scopes=W,
    ),
    _f(
        "generation_failed_timed_out",
        "generation",
        _("Failed: took too long"),
        COUNT,
        _("""Clips that failed because the job waited or ran longer than the studio allows and was given up."""),
        scopes=W,
    ),
    _f(
        "generation_failed_intake_refused",
        "generation",
        _("Failed: not taken in"),
        COUNT,
        _("""Clips that failed because the finished file could not be taken in as a video."""),
        scopes=W,
    ),
)

# --- Opportunities: grants and sessions (calls app) ---------------------------------------------------
OPPORTUNITIES: tuple[Figure, ...] = (
    _f(
        "grant_applications",
        "opportunities",
        _("Grant applications"),
        COUNT,
        _("""Applications sent to the program's grant rounds (withdrawn
        ones aside), by the month they were sent."""),
    ),
    _f(
        "grant_awards",
        "opportunities",
        _("Grants awarded"),
        COUNT,
        _("""Applications awarded a grant, by the month of the decision."""),
    ),
    _f(
        "grant_declines",
        "opportunities",
        _("Grant applications declined"),
        COUNT,
        _("""Applications declined, each with a reason from the round's
        published list."""),
        scopes=W,
    ),
    _f(
        "grant_decision_hours_median",
        "opportunities",
        _("Median time to a grant decision"),
        DURATION,
        _("""Median of the hours from an application being sent to its
        decision (award or decline), over the decided applications."""),
        scopes=W,
    ),
    _f(
        "grant_deadlines_missed",
        "opportunities",
        _("Grant decision deadlines missed"),
        COUNT,
        _("""Applications decided after the round's public deadline (sent
        plus the round's days to decide), or still waiting past it."""),
        scopes=W,
    ),
    _f(
        "sessions_held",
        "opportunities",
        _("Sessions held"),
        COUNT,
        _("""Workshops, mentorship sessions and screenings that took place,
        by the month they started."""),
    ),
    _f(
        "session_attendances",
        "opportunities",
        _("Session attendances"),
        COUNT,
        _("""Places at sessions that staff recorded as attended, by the month
        of the session."""),
    ),
    _f(
        "session_hours_paid",
        "opportunities",
        _("Session hours paid"),
        HOURS,
        _("""Hours paid for attending sessions (a paid session's length, as
        approved hours at the program's rate card), by the month of the session."""),
    ),
)
FIGURES = FIGURES + OPPORTUNITIES

BY_NAME = {figure.name: figure for figure in FIGURES}


def figures_in(section: str, scope: str) -> list[Figure]:
    return [f for f in FIGURES if f.section == section and scope in f.scopes]
