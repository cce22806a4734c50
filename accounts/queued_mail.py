"""allauth's messages (sign-up and login codes, password resets, security notices) leave through core.mail, like
every other message, so an SMTP outage never fails a sign-up, a login or a password reset."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from core.mail import mail_send


class QueuedMailAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Rendered here, where allauth's templates find the request (and in the visitor's language); the outbox
        holds the rendered text until it is sent, then keeps only the audit fields."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        html = next((content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"), "")
        for to in message.to:
            mail_send(
                to=to,
                template="allauth",
                context={"subject": message.subject, "body": message.body, "html": html},
                language=translation.get_language() or "",
                at_once=True,  # the codes are wanted now, not when some transaction around this commits
            )
