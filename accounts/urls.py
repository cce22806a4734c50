"""The profile, under /me/ (no namespace: "profile", "profile_update", "profile_preferences_update")."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/update/", views.profile_update, name="profile_update"),
    path("profile/preferences/", views.preferences_update, name="profile_preferences_update"),
]
