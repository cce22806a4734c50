"""Who may see or do what in the opportunities. Views and services ask these predicates; none checks by hand.

Open calls: a call is public once opened (drafts are its program staff's only). Entries and scores are private to
their artist and the call's jury until the results are published; a juror never sees or scores their own entry.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from calls.models import Call, ConflictDeclaration, Entry, Juror
from core.errors import Refusal
from programs.access import contributing_enrolment, is_program_staff, programs_staffed_by
from programs.models import Program
from programs.refusals import staff_refusal
from submissions.models import Video

ELIGIBLE_VIDEO_STATUSES = (Video.Status.APPROVED, Video.Status.PUBLISHED)


def public_calls() -> QuerySet[Call]:
    return Call.objects.exclude(status=Call.Status.DRAFT).select_related("program")


def get_public_call(pk: int) -> Call:
    """A call anyone may read, or 404 (drafts do not leak)."""
    call = public_calls().filter(pk=pk).first()
    if call is None:
        raise Http404(_("No such open call."))
    return call


def get_call_results(pk: int) -> Call:
    """A call whose results are published; before that its results page does not exist, for anyone."""
    call = get_public_call(pk)
    if not call.results_published:
        raise Http404(_("The results of this call are not published yet."))
    return call


def get_call_for_staff(user, pk: int) -> Call:
    call = Call.objects.filter(pk=pk, program__in=programs_staffed_by(user)).select_related("program").first()
    if call is None:
        raise Http404(_("No such open call."))
    return call


def may_enter(user, call: Call) -> bool:
    """An artist who may contribute to the call's program, in an eligible cohort (no cohorts named: every one)."""
    enrolment = contributing_enrolment(user, call.program)
    if enrolment is None:
        return False
    cohorts = {c.pk for c in call.eligible_cohorts.all()}
    return not cohorts or enrolment.cohort_id in cohorts


def eligible_videos(user, call: Call) -> QuerySet[Video]:
    """The artist's own approved or published videos of the call's program (entering checks the rest)."""
    if not user.is_authenticated:
        return Video.objects.none()
    return Video.objects.filter(artist=user, program=call.program, status__in=ELIGIBLE_VIDEO_STATUSES).order_by("-pk")


def own_entries(user, call: Call) -> QuerySet[Entry]:
    if not user.is_authenticated:
        return Entry.objects.none()
    return call.entries.filter(artist=user).select_related("video")


def get_own_entry(user, pk: int) -> Entry:
    entry = Entry.objects.filter(pk=pk, artist=user).select_related("call__program", "video").first()
    if entry is None:
        raise Http404(_("No such entry."))
    return entry


def juror_of(user, call: Call) -> Juror | None:
    if not user.is_authenticated:
        return None
    return call.jurors.filter(user=user).first()


def require_juror(user, call: Call) -> Juror:
    juror = juror_of(user, call)
    if juror is None:
        raise Refusal(_("Only the jury of this call sees its entries."))
    return juror


def may_score(juror: Juror, entry: Entry) -> str:
    """Why `juror` may not score `entry` ("" if they may): their own entry, or a conflict they declared."""
    if entry.artist_id == juror.user_id:
        return _("This is your own entry: a juror never scores it.")
    if ConflictDeclaration.objects.filter(juror=juror, entry=entry).exists():
        return _("You declared a conflict of interest with this entry, so you do not score it.")
    return ""


def get_entry_for_juror(user, pk: int) -> tuple[Entry, Juror]:
    """An entry of a call on whose jury `user` sits, never their own: 404 for everyone else."""
    entry = (
        Entry.objects.filter(pk=pk, status=Entry.Status.ENTERED, call__jurors__user=user)
        .exclude(artist=user)
        .select_related("call__program", "video", "artist")
        .first()
        if user.is_authenticated
        else None
    )
    if entry is None:
        raise Http404(_("No such entry."))
    return entry, entry.call.jurors.get(user=user)


def is_call_staff(user, call: Call) -> bool:
    return is_program_staff(user, call.program)


def get_program_for_call_staff(user, slug: str) -> Program:
    """A program whose calls `user` manages: 404 if unknown (or a draft they may not see), else 403 with why."""
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404(_("No such program."))
    if not is_program_staff(user, program):
        if program.status == Program.Status.DRAFT:
            raise Http404(_("No such program."))
        raise staff_refusal(program, what=_("Only program staff manage open calls."))
    return program
