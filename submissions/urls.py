from django.urls import path  # noqa: F401  (routes arrive with the videos issue)

app_name = "submissions"

urlpatterns: list = []
