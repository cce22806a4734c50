from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import language_set
from core.js_catalogue import CachedJavaScriptCatalog
from portal import views
from portal.sitemaps import SITEMAPS

# The admin has no login of its own: it sends people through allauth (rate limits, MFA).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Glasshouse staff")
admin.site.site_title = _("Glasshouse staff")

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
# Any exception a view or middleware lets through: a 503 page (or JSON under /api/) when a service is away, else 500.
handler500 = "portal.outage.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/", include("accounts.urls")),
    path("me/", include("programs.urls_me")),
    path("me/", include("accounts.personal_data.urls")),
    path("i18n/setlang/", language_set, name="set_language"),
    path("jsi18n/", CachedJavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("programs/", include("programs.urls")),
    path("programs/", include("transparency.urls")),
    path("studio/", include("studio.urls")),
    path("", include("calls.urls")),
    path("", include("submissions.urls")),
]
