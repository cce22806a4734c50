"""A person's own data, under /me/ (namespace "personal_data")."""

from django.urls import path

from accounts.personal_data import views

app_name = "personal_data"

urlpatterns = [
    path("export/", views.export_page, name="export"),
    path("export/new/", views.export_request, name="export_request"),
    path("export/<int:pk>/status/", views.export_status, name="export_status"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
    path("delete/", views.delete_page, name="delete"),
    path("delete/confirm/", views.delete_confirm, name="delete_confirm"),
    path("delete/done/", views.deleted, name="deleted"),
]
