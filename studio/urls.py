from django.urls import path

from studio import views

app_name = "studio"

urlpatterns = [
    path("", views.studio_home, name="home"),
    path("jobs/", views.studio_jobs, name="jobs"),
    path("jobs/new/", views.studio_request, name="request"),
    path("jobs/<int:pk>/cancel/", views.studio_cancel, name="cancel"),
    path("jobs/<int:pk>/retry/", views.studio_retry, name="retry"),
    path("presets/<int:pk>/example/", views.preset_example, name="preset_example"),
    path("webhooks/<slug:key>/", views.provider_webhook, name="webhook"),
]
