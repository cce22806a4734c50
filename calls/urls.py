from django.urls import path

from calls.views import calls

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
