from django.urls import path

from programs.views import public

app_name = "programs"

urlpatterns = [
    path("", public.program_list, name="list"),
    path("<slug:slug>/", public.program_detail, name="detail"),
]
