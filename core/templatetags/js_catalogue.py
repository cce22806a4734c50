"""`{% js_catalogue_url %}`: the address of the scripts' catalogue for the active language and this release."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import translation

from core.js_catalogue import catalogue_digest

register = template.Library()


@register.simple_tag
def js_catalogue_url() -> str:
    query = urlencode({"l": translation.get_language() or "", "v": catalogue_digest()})
    return f"{reverse('javascript-catalog')}?{query}"
