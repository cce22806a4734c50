from django.urls import path

from calls.views import calls, events, grants

app_name = "calls"

urlpatterns: list = [
    # open calls: the public pages, entering, the jury, program staff
    path("calls/", calls.call_list, name="list"),
    path("calls/<int:pk>/", calls.call_detail, name="detail"),
    path("calls/<int:pk>/results/", calls.call_results, name="results"),
    path("calls/<int:pk>/enter/", calls.enter, name="enter"),
    path("calls/<int:pk>/enter/send/", calls.enter_submit, name="enter_submit"),
    path("calls/entries/<int:pk>/withdraw/", calls.entry_withdraw, name="entry_withdraw"),
    path("calls/<int:pk>/jury/", calls.judge, name="judge"),
    path("calls/jury/entries/<int:pk>/", calls.judge_entry, name="judge_entry"),
    path("calls/jury/entries/<int:pk>/video/", calls.judge_entry_file, name="judge_entry_file"),
    path("calls/jury/entries/<int:pk>/score/", calls.score, name="score"),
    path("calls/jury/entries/<int:pk>/conflict/", calls.conflict, name="conflict"),
    path("calls/staff/<slug:slug>/", calls.staff_calls, name="staff_calls"),
    path("calls/staff/<slug:slug>/new/", calls.staff_call_create, name="staff_call_create"),
    path("calls/staff/call/<int:pk>/", calls.staff_call, name="staff_call"),
    path("calls/staff/call/<int:pk>/edit/", calls.staff_call_update, name="staff_call_update"),
    path("calls/staff/call/<int:pk>/move/", calls.staff_call_move, name="staff_call_move"),
]

# Grants and events (issue 17)
urlpatterns += [
    path("grants/", grants.round_list, name="grant_rounds"),
    path("grants/<int:pk>/", grants.round_detail, name="grant_round"),
    path("grants/<int:pk>/apply/", grants.apply, name="grant_apply"),
    path("grants/<int:pk>/staff/", grants.staff_round, name="grant_staff_round"),
    path("grants/applications/<int:pk>/", grants.application_detail, name="grant_application"),
    path("grants/applications/<int:pk>/withdraw/", grants.application_withdraw, name="grant_withdraw"),
    path("grants/applications/<int:pk>/decide/", grants.application_decide, name="grant_decide"),
    path("grants/milestones/<int:pk>/confirm/", grants.milestone_confirm, name="grant_milestone_confirm"),
    path("events/", events.event_list, name="events"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/event.ics", events.event_calendar, name="event_calendar"),
    path("events/<int:pk>/rsvp/", events.event_rsvp, name="event_rsvp"),
    path("events/<int:pk>/rsvp/cancel/", events.event_rsvp_cancel, name="event_rsvp_cancel"),
    path("events/<int:pk>/attendance/", events.attendance, name="event_attendance"),
    path("events/<int:pk>/attendance/<int:rsvp_pk>/", events.attendance_record, name="event_attendance_record"),
]
