"""An artist's own compensation pages, under /me/ (namespace "compensation")."""

from django.urls import path

from programs.views import compensation as views

app_name = "compensation"

statement = "compensation/<slug:slug>/statements/<int:year>/<int:month>/"
urlpatterns = [
    path("compensation/", views.overview, name="overview"),
    path("compensation/<slug:slug>/", views.program_page, name="program"),
    path("compensation/<slug:slug>/hours/", views.log_hours, name="log_hours"),
    path("compensation/<slug:slug>/hours/<int:pk>/update/", views.update_hours, name="update_hours"),
    path("compensation/<slug:slug>/hours/<int:pk>/correct/", views.correct_hours, name="correct_hours"),
    path("compensation/<slug:slug>/hours/<int:pk>/withdraw/", views.withdraw_hours, name="withdraw_hours"),
    path(statement, views.statement, name="statement"),
    path(f"{statement}statement.csv", views.statement_csv, name="statement_csv"),
    path(f"{statement}statement.pdf", views.statement_pdf_download, name="statement_pdf"),
]
