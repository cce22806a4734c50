from django.urls import path

from programs.views import compensation_staff as staff
from programs.views import public

app_name = "programs"

urlpatterns = [
    path("", public.program_list, name="list"),
    path("<slug:slug>/", public.program_detail, name="detail"),
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
