"""The declared access expectations for every URL of the project.

Each entry maps a URL name to the kwargs it needs (built from the `world` of the matrix test) and the
status code each role gets on GET, in the order of ROLES. A new URL without an entry fails the matrix test.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.calls_helpers import OPEN_CALLS_ACCESS

ROLES = ("anonymous", "artist", "other_artist", "reviewer", "staff")
LOGIN = 302  # anonymous users are sent to the login page


@dataclass(frozen=True)
class Expect:
    codes: tuple[int, int, int, int, int]
    kwargs: Callable[[object], dict] = lambda world: {}


def everyone(code: int = 200) -> tuple[int, int, int, int, int]:
    return (code, code, code, code, code)


def signed_in(code: int = 200) -> tuple[int, int, int, int, int]:
    return (LOGIN, code, code, code, code)


OWN_MONEY = (LOGIN, 200, 200, 404, 404)  # each artist their own; no one else's exists for you
_OWN_EXPORT = (LOGIN, 200, 404, 404, 404)  # the artist's export: nobody else's exists for anyone
STAFF_ONLY = (LOGIN, 403, 403, 403, 200)
POST_ONLY = (LOGIN, 405, 405, 405, 405)  # GET is refused before anything else is looked at


def _direct(w) -> dict:
    return {"public_id": w.direct_upload.public_id}


def _slug(w) -> dict:
    return {"slug": w.program.slug}


_MEMBERS = (LOGIN, 200, 200, 404, 404)  # an artist's own pages in a program they have a place in
_STAFF_OBJECT = (LOGIN, 404, 404, 404, 200)  # a record of the program: outsiders learn nothing
# (STAFF_ONLY pages belong to a public program: its existence is no secret.)
ENROLMENT: dict[str, Expect] = {
    "programs:apply": Expect((LOGIN, 302, 302, 200, 200), _slug),  # applied or enrolled: sent on
    "programs:apply_submit": Expect(POST_ONLY, _slug),
    "programs:application": Expect((LOGIN, 200, 302, 302, 302), _slug),  # no application: sent to apply
    "programs:application_withdraw": Expect(POST_ONLY, _slug),
    # Anyone holding the link sees the offer; signed in with another address, it is refused with a reason.
    "programs:invitation": Expect((200, 403, 403, 403, 403), lambda w: {"token": w.invitation.token}),
    "programs:invitation_accept": Expect(POST_ONLY, lambda w: {"token": w.invitation.token}),
    "programs:acceptance_download": Expect((LOGIN, 200, 404, 404, 200), lambda w: {"pk": w.acceptance.pk}),
    "programs:agreement": Expect(_MEMBERS, _slug),
    "programs:agreement_accept": Expect(POST_ONLY, _slug),
    "programs:consent": Expect(_MEMBERS, _slug),
    "programs:consent_update": Expect(POST_ONLY, _slug),
    "programs:consent_receipt": Expect(_MEMBERS, _slug),
    "programs:leave": Expect(_MEMBERS, _slug),
    "programs:leave_confirm": Expect(POST_ONLY, _slug),
    "programs:staff_applications": Expect(STAFF_ONLY),
    "programs:staff_application": Expect(_STAFF_OBJECT, lambda w: {"pk": w.application.pk}),
    "programs:staff_application_decide": Expect(POST_ONLY, lambda w: {"pk": w.application.pk}),
    "programs:staff_invitations": Expect(STAFF_ONLY, _slug),
    "programs:staff_invitation_send": Expect(POST_ONLY, _slug),
    "programs:staff_invitation_resend": Expect(POST_ONLY, lambda w: {"pk": w.invitation.pk}),
    "programs:staff_invitation_revoke": Expect(POST_ONLY, lambda w: {"pk": w.invitation.pk}),
    "programs:staff_roster": Expect(STAFF_ONLY, _slug),
    "programs:staff_enrolment": Expect(_STAFF_OBJECT, lambda w: {"pk": w.enrolment.pk}),
    "programs:staff_enrolment_remove": Expect(POST_ONLY, lambda w: {"pk": w.enrolment.pk}),
    "programs:staff_enrolment_pause": Expect(POST_ONLY, lambda w: {"pk": w.enrolment.pk}),
    "programs:staff_enrolment_resume": Expect(POST_ONLY, lambda w: {"pk": w.enrolment.pk}),
    "programs:staff_trust_grant": Expect(POST_ONLY, lambda w: {"pk": w.enrolment.pk}),
    "programs:staff_trust_revoke": Expect(POST_ONLY, lambda w: {"pk": w.enrolment.pk}),
}

EXPECTATIONS: dict[str, Expect] = {
    # portal
    "home": Expect(everyone()),
    "dashboard": Expect(signed_in()),
    "profile": Expect(signed_in()),
    "profile_update": Expect(POST_ONLY),
    "profile_preferences_update": Expect(POST_ONLY),
    "set_language": Expect((405, 405, 405, 405, 405)),  # POST only, for visitors too (the footer's switcher)
    "javascript-catalog": Expect(everyone()),
    "healthz": Expect(everyone()),
    "readyz": Expect(everyone()),
    "robots_txt": Expect(everyone()),
    "sitemap": Expect(everyone()),
    # programs
    "programs:list": Expect(everyone()),
    "programs:detail": Expect(everyone(), lambda w: {"slug": w.program.slug}),
    # compensation: an artist sees only their own money; staff their program's; reviewers none
    "compensation:overview": Expect(signed_in()),
    "compensation:program": Expect(OWN_MONEY, lambda w: {"slug": w.program.slug}),
    "compensation:log_hours": Expect(POST_ONLY, lambda w: {"slug": w.program.slug}),
    "compensation:update_hours": Expect(POST_ONLY, lambda w: {"slug": w.program.slug, "pk": w.compensation.entry.pk}),
    "compensation:correct_hours": Expect(POST_ONLY, lambda w: {"slug": w.program.slug, "pk": w.compensation.entry.pk}),
    "compensation:withdraw_hours": Expect(POST_ONLY, lambda w: {"slug": w.program.slug, "pk": w.compensation.entry.pk}),
    "compensation:statement": Expect(OWN_MONEY, lambda w: w.compensation.month),
    "compensation:statement_csv": Expect(OWN_MONEY, lambda w: w.compensation.month),
    "compensation:statement_pdf": Expect(OWN_MONEY, lambda w: w.compensation.month),
    "programs:compensation_staff": Expect(STAFF_ONLY, lambda w: {"slug": w.program.slug}),
    "programs:hours_queue": Expect(STAFF_ONLY, lambda w: {"slug": w.program.slug}),
    "programs:hours_approve": Expect(POST_ONLY, lambda w: {"slug": w.program.slug}),
    "programs:hours_query": Expect(POST_ONLY, lambda w: {"slug": w.program.slug, "pk": w.compensation.entry.pk}),
    "programs:ratecard_new": Expect(STAFF_ONLY, lambda w: {"slug": w.program.slug}),
    "programs:ratecard_create": Expect(POST_ONLY, lambda w: {"slug": w.program.slug}),
    "programs:award_new": Expect(STAFF_ONLY, lambda w: {"slug": w.program.slug}),
    "programs:award_create": Expect(POST_ONLY, lambda w: {"slug": w.program.slug}),
    "programs:payoutrun_new": Expect(POST_ONLY, lambda w: {"slug": w.program.slug}),
    "programs:payoutrun_detail": Expect(STAFF_ONLY, lambda w: {"slug": w.program.slug, "pk": w.compensation.run.pk}),
    "programs:payoutrun_confirm": Expect(POST_ONLY, lambda w: {"slug": w.program.slug, "pk": w.compensation.run.pk}),
    "programs:payoutrun_cancel": Expect(POST_ONLY, lambda w: {"slug": w.program.slug, "pk": w.compensation.run.pk}),
    "programs:payoutrun_csv": Expect(STAFF_ONLY, lambda w: {"slug": w.program.slug, "pk": w.compensation.run.pk}),
    "programs:payoutrun_item_toggle": Expect(POST_ONLY, lambda w: w.compensation.item_kwargs),
    "programs:payoutrun_item_fail": Expect(POST_ONLY, lambda w: w.compensation.item_kwargs),
    "programs:artist_compensation": Expect(
        STAFF_ONLY, lambda w: {"slug": w.program.slug, "user_pk": w.users["artist"].pk}
    ),
    "programs:artist_statement": Expect(
        STAFF_ONLY, lambda w: {**w.compensation.month, "user_pk": w.users["artist"].pk}
    ),
    # bug reports and feedback (issue 6): the world's program shares its reports; `report` is the artist's
    "submissions:reports": Expect(signed_in()),
    "submissions:report_new": Expect((LOGIN, 200, 200, 403, 403)),
    "submissions:report_detail": Expect((LOGIN, 200, 200, 404, 200), lambda w: {"pk": w.report.pk}),
    "submissions:report_edit": Expect((LOGIN, 200, 404, 404, 404), lambda w: {"pk": w.draft.pk}),
    "submissions:report_submit": Expect(signed_in(405), lambda w: {"pk": w.draft.pk}),
    "submissions:report_discard": Expect(signed_in(405), lambda w: {"pk": w.draft.pk}),
    "submissions:report_answer": Expect(signed_in(405), lambda w: {"pk": w.report.pk}),
    "submissions:report_respond": Expect(signed_in(405), lambda w: {"pk": w.report.pk}),
    "submissions:report_me_too": Expect(signed_in(405), lambda w: {"pk": w.report.pk}),
    "submissions:report_me_too_withdraw": Expect(signed_in(405), lambda w: {"pk": w.report.pk}),
    "submissions:report_transition": Expect(signed_in(405), lambda w: {"pk": w.report.pk}),
    "submissions:report_severity": Expect(signed_in(405), lambda w: {"pk": w.report.pk}),
    "submissions:report_accept": Expect(signed_in(405), lambda w: {"pk": w.report.pk}),
    "submissions:screenshot": Expect((LOGIN, 200, 200, 404, 200), lambda w: {"pk": w.screenshot.pk}),
    "submissions:screenshot_thumbnail": Expect((LOGIN, 200, 200, 404, 200), lambda w: {"pk": w.screenshot.pk}),
    "submissions:screenshot_remove": Expect(signed_in(405), lambda w: {"pk": w.screenshot.pk}),
    "submissions:report_shared_list": Expect((LOGIN, 200, 200, 404, 200), lambda w: {"slug": w.program.slug}),
    "submissions:report_triage": Expect((LOGIN, 403, 403, 403, 200)),
    "submissions:report_bulk": Expect(signed_in(405)),
    "submissions:feedback_triage": Expect((LOGIN, 403, 403, 403, 200)),
    "submissions:feedback_new": Expect((LOGIN, 200, 200, 403, 403)),
    "submissions:feedback_detail": Expect((LOGIN, 200, 404, 404, 200), lambda w: {"pk": w.feedback.pk}),
    "submissions:feedback_respond": Expect(signed_in(405), lambda w: {"pk": w.feedback.pk}),
    "submissions:feedback_transition": Expect(signed_in(405), lambda w: {"pk": w.feedback.pk}),
    "submissions:feedback_accept": Expect(signed_in(405), lambda w: {"pk": w.feedback.pk}),
    "submissions:notice_read": Expect(signed_in(405), lambda w: {"pk": w.notice.pk}),
    "submissions:notices_read_all": Expect(signed_in(405)),
    # the public transparency report (issue 8): anyone, for a public program; publishing is for its staff
    "transparency:report": Expect(everyone(), _slug),
    "transparency:report_json": Expect(everyone(), _slug),
    "transparency:report_csv": Expect(everyone(), _slug),
    "transparency:publish": Expect(POST_ONLY, _slug),
    "transparency:snapshot": Expect(everyone(), lambda w: w.snapshot_kwargs),
    "transparency:snapshot_json": Expect(everyone(), lambda w: w.snapshot_kwargs),
    "transparency:snapshot_csv": Expect(everyone(), lambda w: w.snapshot_kwargs),
    # the person's own data (issue 8): an export exists only for its owner, staff included; the world's is the
    # artist's, ready. Deleting an account is POST only; its confirmation page is public (you are signed out).
    "personal_data:export": Expect(signed_in()),
    "personal_data:export_request": Expect(POST_ONLY),
    "personal_data:export_status": Expect(_OWN_EXPORT, lambda w: {"pk": w.export.pk}),
    "personal_data:export_download": Expect(_OWN_EXPORT, lambda w: {"pk": w.export.pk}),
    "personal_data:delete": Expect(signed_in()),
    "personal_data:delete_confirm": Expect(POST_ONLY),
    "personal_data:deleted": Expect(everyone()),
    # programs: enrolment (the world: artist applied and was accepted, both artists accepted the agreement,
    # a newcomer without an account is invited). Mutating URLs answer GET with 405.
    **ENROLMENT,
    # videos (submissions): the artist's own pages, then media, then the ingestion API (key auth only)
    "submissions:video_list": Expect(signed_in()),
    "submissions:video_new": Expect((LOGIN, 200, 200, 403, 403)),
    "submissions:video_detail": Expect((LOGIN, 200, 404, 200, 200), lambda w: {"pk": w.video.pk}),
    "submissions:video_status": Expect((LOGIN, 200, 404, 200, 200), lambda w: {"pk": w.video.pk}),
    "submissions:video_withdraw": Expect(signed_in(405), lambda w: {"pk": w.video.pk}),
    # direct uploads to the bucket: JSON POSTs for the artist's upload page, and the upload's own page
    "submissions:direct_upload_start": Expect(signed_in(405)),
    "submissions:direct_upload_detail": Expect((LOGIN, 200, 404, 404, 404), lambda w: _direct(w)),
    "submissions:direct_upload_sign": Expect(signed_in(405), lambda w: _direct(w)),
    "submissions:direct_upload_complete": Expect(signed_in(405), lambda w: _direct(w)),
    "submissions:direct_upload_abort": Expect(signed_in(405), lambda w: _direct(w)),
    "submissions:video_file": Expect((LOGIN, 200, 404, 200, 200), lambda w: {"pk": w.video.pk}),
    "submissions:video_poster": Expect((LOGIN, 200, 404, 200, 200), lambda w: {"pk": w.video.pk}),
    "submissions:video_thumbnail": Expect((LOGIN, 200, 404, 200, 200), lambda w: {"pk": w.video.pk, "position": 1}),
    "submissions:api:api-root": Expect(everyone(404)),
    "submissions:api:openapi-json": Expect(everyone()),
    # the approval workflow: artists' choices (POST only), the reviewers' pages, the public gallery
    "submissions:video_publish": Expect(signed_in(405), lambda w: {"pk": w.video.pk}),
    "submissions:video_unpublish": Expect(signed_in(405), lambda w: {"pk": w.video.pk}),
    "submissions:video_appeal": Expect(signed_in(405), lambda w: {"pk": w.video.pk}),
    "submissions:review_queue": Expect((LOGIN, 403, 403, 200, 403)),
    "submissions:review_next": Expect(signed_in(405)),
    "submissions:review_appeals": Expect((LOGIN, 403, 403, 200, 403)),
    "submissions:review_video": Expect((LOGIN, 404, 404, 200, 404), lambda w: {"pk": w.video.pk}),
    "submissions:review_claim": Expect(signed_in(405), lambda w: {"pk": w.video.pk}),
    "submissions:review_decide": Expect(signed_in(405), lambda w: {"pk": w.video.pk}),
    "submissions:review_decide_appeal": Expect(signed_in(405), lambda w: {"pk": w.video.pk}),
    # frame-level review (issue 18): the video's artist, its reviewers and staff; writing is POST only. The
    # world's comment is a reviewer's thread on the artist's video, with its still taken.
    "submissions:comment_add": Expect(signed_in(405), lambda w: {"pk": w.video.pk}),
    "submissions:comment_reply": Expect(signed_in(405), lambda w: {"pk": w.comment.pk}),
    "submissions:comment_resolve": Expect(signed_in(405), lambda w: {"pk": w.comment.pk}),
    "submissions:comment_still": Expect((LOGIN, 200, 404, 200, 200), lambda w: {"pk": w.comment.pk}),
    "submissions:video_compare": Expect((LOGIN, 200, 404, 200, 200), lambda w: {"pk": w.video.pk}),
    "submissions:gallery": Expect(everyone()),
    "submissions:gallery_video": Expect(everyone(), lambda w: {"public_id": w.published.public_id}),
    "submissions:gallery_file": Expect(everyone(), lambda w: {"public_id": w.published.public_id}),
    "submissions:gallery_poster": Expect(everyone(), lambda w: {"public_id": w.published.public_id}),
    "submissions:verify": Expect(everyone()),
    "submissions:verify_json": Expect(everyone(405)),  # tools POST a file; GET is refused for everyone
    "submissions:verify_trust_anchor": Expect(everyone()),
    "submissions:api:videos": Expect(everyone(405)),
    "submissions:api:video": Expect(everyone(401), lambda w: {"video_id": w.video.pk}),
    # the studio (issue 15): artists who may contribute to a program with an open studio; a job is its artist's
    "studio:home": Expect((LOGIN, 200, 200, 403, 403)),
    "studio:jobs": Expect((LOGIN, 200, 200, 403, 403)),
    "studio:request": Expect(POST_ONLY),
    "studio:cancel": Expect(POST_ONLY, lambda w: {"pk": w.job.pk}),
    "studio:retry": Expect(POST_ONLY, lambda w: {"pk": w.job.pk}),
    "studio:preset_example": Expect((LOGIN, 200, 200, 404, 200), lambda w: {"pk": w.preset.pk}),
    "studio:webhook": Expect(everyone(405), lambda w: {"key": "local"}),  # providers POST; signatures checked
    # open calls (issue 17): entries and scores only for their artist and the jury until the results
    **{name: Expect(codes, kwargs) for name, (codes, kwargs) in OPEN_CALLS_ACCESS.items()},
    # grants (issue 17): rounds are public; an application is its applicant's and staff's (the world's is the
    # artist's, awarded with one milestone); deciding and paying are POST only
    "calls:grant_rounds": Expect(everyone()),
    "calls:grant_round": Expect(everyone(), lambda w: {"pk": w.grant_round.pk}),
    "calls:grant_apply": Expect((LOGIN, 302, 200, 403, 403), lambda w: {"pk": w.grant_round.pk}),  # applied: sent on
    "calls:grant_staff_round": Expect(STAFF_ONLY, lambda w: {"pk": w.grant_round.pk}),
    "calls:grant_application": Expect((LOGIN, 200, 404, 404, 200), lambda w: {"pk": w.grant_application.pk}),
    "calls:grant_withdraw": Expect(POST_ONLY, lambda w: {"pk": w.grant_application.pk}),
    "calls:grant_decide": Expect(POST_ONLY, lambda w: {"pk": w.grant_application.pk}),
    "calls:grant_milestone_confirm": Expect(POST_ONLY, lambda w: {"pk": w.grant_milestone.pk}),
    # sessions and events (issue 17): seen by the program's artists and staff; attendance is staff's
    "calls:events": Expect(signed_in()),
    "calls:event_detail": Expect((LOGIN, 200, 200, 404, 200), lambda w: {"pk": w.event.pk}),
    "calls:event_calendar": Expect((LOGIN, 200, 200, 404, 200), lambda w: {"pk": w.event.pk}),
    "calls:event_rsvp": Expect(POST_ONLY, lambda w: {"pk": w.event.pk}),
    "calls:event_rsvp_cancel": Expect(POST_ONLY, lambda w: {"pk": w.event.pk}),
    "calls:event_attendance": Expect((LOGIN, 403, 403, 404, 200), lambda w: {"pk": w.event.pk}),
    "calls:event_attendance_record": Expect(POST_ONLY, lambda w: {"pk": w.event.pk, "rsvp_pk": w.rsvp.pk}),
}

# Third-party URL families, declared as a rule each rather than URL by URL.
# The admin: anonymous users are sent to allauth's login; signed-in people who are not staff get 403
# (405 where the admin view only takes POST, such as logout).
ADMIN_REFUSED = {403, 405}
