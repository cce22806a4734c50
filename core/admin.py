"""The mail outbox in the admin, for whoever runs the site: what waits, what failed and why, what was sent or
given up. Read-only: only core.mail writes it (the sweep sends again what waits once the cause is fixed). The
context is left out: it holds what the mail is about, not needed to see where delivery stands."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Mail

STATES = {
    "waiting": Q(sent_at__isnull=True, given_up_at__isnull=True),
    "failing": Q(sent_at__isnull=True, given_up_at__isnull=True) & ~Q(last_error=""),
    "sent": Q(sent_at__isnull=False),
    "given_up": Q(given_up_at__isnull=False),
}


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Waiting")),
            ("failing", _("Waiting after a failed attempt")),
            ("sent", _("Sent")),
            ("given_up", _("Given up")),
        ]

    def queryset(self, request, queryset):
        return queryset.filter(STATES[self.value()]) if self.value() in STATES else queryset


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    list_display = ["template", "to", "delivery", "attempts", "last_error", "created_at"]
    list_filter = [DeliveryFilter, "template"]
    search_fields = ["to", "subject", "template"]
    exclude = ["context"]
    list_select_related = False

    @admin.display(description=_("delivery"))
    def delivery(self, mail: Mail) -> str:
        if mail.sent_at:
            return _("Sent")
        if mail.given_up_at:
            return _("Given up")
        return _("Waiting after a failed attempt") if mail.last_error else _("Waiting")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
