"""The public transparency report, its open data and its dated snapshots, under /programs/<slug>/ (namespace
"transparency")."""

import datetime as dt

from django.urls import path, register_converter

from transparency import views

app_name = "transparency"


class IsoDate:
    """A day in a URL, as 2026-11-30."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError: the URL does not match, so 404

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


register_converter(IsoDate, "isodate")

urlpatterns = [
    path("<slug:slug>/transparency/", views.report, name="report"),
    path("<slug:slug>/transparency.json", views.report_json, name="report_json"),
    path("<slug:slug>/transparency.csv", views.report_csv, name="report_csv"),
    path("<slug:slug>/transparency/snapshots/", views.snapshot_publish, name="publish"),
    path("<slug:slug>/transparency/<isodate:published_on>/", views.snapshot, name="snapshot"),
    path("<slug:slug>/transparency/<isodate:published_on>.json", views.snapshot_json, name="snapshot_json"),
    path("<slug:slug>/transparency/<isodate:published_on>.csv", views.snapshot_csv, name="snapshot_csv"),
]
