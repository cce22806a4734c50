from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Mail(models.Model):
    """One message in the outbox, to one recipient: written in the sender's transaction, so it leaves even when
    the broker is away at that moment (the sweep queues it again). core/mail.py explains the whole path."""

    template = models.CharField(max_length=100, help_text=_("The folder under templates/mail/ that renders it."))
    context = models.JSONField(default=dict, blank=True, help_text=_("Emptied once sent: only the audit fields stay."))
    to = models.EmailField("to")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=20, blank=True, help_text=_("Rendered in this language (default if empty)."))
    key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, help_text=_("The same key is never sent twice.")
    )
    subject = models.CharField(max_length=255, blank=True, help_text=_("As sent (kept for the audit)."))
    created_at = models.DateTimeField(auto_now_add=True)
    touched_at = models.DateTimeField(auto_now_add=True, help_text=_("Last queued or tried: the sweep's clock."))
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["touched_at"],
                name="mail_waiting",
                condition=Q(sent_at__isnull=True, given_up_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} to {self.to}"
