"""allauth's messages (sign-up and login codes, password resets, security notices) leave through the mail queue,
like every other message, so an SMTP outage never fails a sign-up, a login or a password reset."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from programs.tasks.mail import send_templated_email

logger = logging.getLogger(__name__)
RENDERED = "portal/email/rendered.txt"  # a message rendered already: its subject, then its body


class QueuedMailAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Rendered here, where allauth's templates find the request; sent by the retrying mail task. Not held
        for a commit: the codes are wanted now, and the message carries everything it needs."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        try:
            send_templated_email.delay(RENDERED, {"subject": message.subject, "body": message.body}, message.to)
        except Exception:  # the broker is away (or, in-process, SMTP failed every retry): log, never fail the action
            logger.exception("Could not queue the %s email to %s", template_prefix, email)
