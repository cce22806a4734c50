from django.urls import path

from programs.views import artist, invitations, public
from programs.views import compensation_staff as staff
from programs.views import staff as enrolment_staff

app_name = "programs"


# Fixed prefixes first: program slugs may not take them (see programs.models.core.RESERVED_SLUGS).
urlpatterns = [
    path("", public.program_list, name="list"),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("invitations/<str:token>/accept/", invitations.accept, name="invitation_accept"),
    path("agreements/acceptances/<int:pk>/download/", artist.acceptance_download, name="acceptance_download"),
    path("staff/applications/", enrolment_staff.application_list, name="staff_applications"),
    path("staff/applications/<int:pk>/", enrolment_staff.application_detail, name="staff_application"),
    path("staff/applications/<int:pk>/decide/", enrolment_staff.application_decide, name="staff_application_decide"),
    path("staff/invitations/<int:pk>/resend/", enrolment_staff.invitation_resend, name="staff_invitation_resend"),
    path("staff/invitations/<int:pk>/revoke/", enrolment_staff.invitation_revoke, name="staff_invitation_revoke"),
    path("staff/enrolments/<int:pk>/", enrolment_staff.enrolment_detail, name="staff_enrolment"),
    path("staff/enrolments/<int:pk>/remove/", enrolment_staff.enrolment_remove, name="staff_enrolment_remove"),
    path("staff/enrolments/<int:pk>/pause/", enrolment_staff.enrolment_pause, name="staff_enrolment_pause"),
    path("staff/enrolments/<int:pk>/resume/", enrolment_staff.enrolment_resume, name="staff_enrolment_resume"),
    path("staff/enrolments/<int:pk>/trust/", enrolment_staff.trust_grant, name="staff_trust_grant"),
    path("staff/enrolments/<int:pk>/trust/revoke/", enrolment_staff.trust_revoke, name="staff_trust_revoke"),
    path("<slug:slug>/", public.program_detail, name="detail"),
    path("<slug:slug>/apply/", artist.apply, name="apply"),
    path("<slug:slug>/apply/submit/", artist.apply_submit, name="apply_submit"),
    path("<slug:slug>/application/", artist.application, name="application"),
    path("<slug:slug>/application/withdraw/", artist.application_withdraw, name="application_withdraw"),
    path("<slug:slug>/agreement/", artist.agreement, name="agreement"),
    path("<slug:slug>/agreement/accept/", artist.agreement_accept, name="agreement_accept"),
    path("<slug:slug>/consent/", artist.consent_page, name="consent"),
    path("<slug:slug>/consent/update/", artist.consent_update, name="consent_update"),
    path("<slug:slug>/consent/receipt/", artist.consent_receipt, name="consent_receipt"),
    path("<slug:slug>/leave/", artist.leave, name="leave"),
    path("<slug:slug>/leave/confirm/", artist.leave_confirm, name="leave_confirm"),
    path("<slug:slug>/staff/invitations/", enrolment_staff.invitation_list, name="staff_invitations"),
    path("<slug:slug>/staff/invitations/send/", enrolment_staff.invitation_send, name="staff_invitation_send"),
    path("<slug:slug>/staff/artists/", enrolment_staff.roster, name="staff_roster"),
    # Compensation, for program staff
    path("<slug:slug>/compensation/", staff.staff_home, name="compensation_staff"),
    path("<slug:slug>/compensation/hours/", staff.hours_queue, name="hours_queue"),
    path("<slug:slug>/compensation/hours/approve/", staff.hours_approve, name="hours_approve"),
    path("<slug:slug>/compensation/hours/<int:pk>/query/", staff.hours_query, name="hours_query"),
    path("<slug:slug>/compensation/rate-cards/new/", staff.ratecard_new, name="ratecard_new"),
    path("<slug:slug>/compensation/rate-cards/", staff.ratecard_create, name="ratecard_create"),
    path("<slug:slug>/compensation/awards/new/", staff.award_new, name="award_new"),
    path("<slug:slug>/compensation/awards/", staff.award_create, name="award_create"),
    path("<slug:slug>/compensation/payout-runs/", staff.payoutrun_new, name="payoutrun_new"),
    path("<slug:slug>/compensation/payout-runs/<int:pk>/", staff.payoutrun_detail, name="payoutrun_detail"),
    path("<slug:slug>/compensation/payout-runs/<int:pk>/confirm/", staff.payoutrun_confirm, name="payoutrun_confirm"),
    path("<slug:slug>/compensation/payout-runs/<int:pk>/cancel/", staff.payoutrun_cancel, name="payoutrun_cancel"),
    path("<slug:slug>/compensation/payout-runs/<int:pk>/export.csv", staff.payoutrun_csv, name="payoutrun_csv"),
    path(
        "<slug:slug>/compensation/payout-runs/<int:pk>/items/<int:item_pk>/include/",
        staff.payoutrun_item_toggle,
        name="payoutrun_item_toggle",
    ),
    path(
        "<slug:slug>/compensation/payout-runs/<int:pk>/items/<int:item_pk>/fail/",
        staff.payoutrun_item_fail,
        name="payoutrun_item_fail",
    ),
    path("<slug:slug>/compensation/artists/<int:user_pk>/", staff.artist_compensation, name="artist_compensation"),
    path(
        "<slug:slug>/compensation/artists/<int:user_pk>/statements/<int:year>/<int:month>/",
        staff.artist_statement,
        name="artist_statement",
    ),
]
