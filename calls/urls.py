from django.urls import path

from calls.views import events, grants

app_name = "calls"

urlpatterns: list = []

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
