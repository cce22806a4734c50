"""The list of a video's comment threads, built in Python: a review page may list hundreds of threads, and the
template language's per-variable cost made 200 threads take four times the page without them (see
benchmarks/review_page_comments.py). Every text from a person or a catalogue goes through html.escape, as a
template escapes it; ids, times and drawings (comments_drawing) are numbers and punctuation.

    {% load frame_comments %}{% frame_threads threads back="review" player=True reviewer_view=True artist_hidden=... %}
    {% cite_choices citable cited_ids %}
"""

from html import escape as esc

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from submissions.comments_drawing import ARROW_MARKER_ID
from submissions.selectors_comments import Thread

register = template.Library()


class _Labels:
    """The words of the list, translated once per list rather than once per thread."""

    def __init__(self):
        escaped = {name: esc(_(text)) for name, text in self.TEXTS.items()}
        self.__dict__.update(escaped)
        self.frame_at = esc(_("The frame at %(time)s"))  # a time adds nothing to escape
        self.internal_badge = f'<span class="badge badge-internal">{self.internal}</span> '
        self.resolved_badge = f'<span class="badge badge-resolved">{self.resolved}</span>'
        self.open_badge = f'<span class="badge badge-open">{self.unresolved}</span>'
        self.cited_badge = f' <span class="badge badge-cited">{self.cited}</span>'
        self.reopen_fields = (
            '<input type="hidden" name="resolved" value="0">'
            f'<button type="submit" class="secondary">{self.reopen}</button>'
        )
        self.resolve_fields = (
            f'<input type="hidden" name="resolved" value="1"><button type="submit">{self.resolve}</button>'
        )

    TEXTS = {
        "list": gettext_noop("Comments on frames"),
        "missing": gettext_noop("The still of this frame is on its way."),
        "artist": gettext_noop("The artist"),
        "artist_suffix": gettext_noop("artist"),
        "internal": gettext_noop("Internal: reviewers and staff only"),
        "resolved": gettext_noop("Resolved"),
        "unresolved": gettext_noop("Unresolved"),
        "cited": gettext_noop("Cited in a decision"),
        "replies": gettext_noop("Replies"),
        "your_reply": gettext_noop("Your reply"),
        "reply_placeholder": gettext_noop("Reply…"),
        "reply": gettext_noop("Reply"),
        "reopen": gettext_noop("Open again"),
        "resolve": gettext_noop("Mark resolved"),
        "empty": gettext_noop("No comments on frames yet."),
    }


def _body(text: str) -> str:
    """Escaped, with line breaks kept (as the template filter linebreaksbr)."""
    text = esc(text)
    return text.replace("\r\n", "\n").replace("\n", "<br>") if "\n" in text else text


def _names(threads: list[Thread], video, artist_hidden: bool, words: _Labels) -> dict[int, str]:
    """Each writer's name as the list shows it (escaped), by their id: worked out once per person."""
    people = {comment.author_id: comment.author for thread in threads for comment in (thread, *thread.reply_list)}
    names = {pk: esc(person.get_full_name()) for pk, person in people.items()}
    if video.artist_id in names:
        artist = names[video.artist_id]
        names[video.artist_id] = words.artist if artist_hidden else f"{artist} ({words.artist_suffix})"
    return names


def _drawing(thread: Thread) -> str:
    """The SVG that comment_add made from the checked drawing (numbers only), over the still."""
    if not thread.drawing_svg:
        return ""
    return (
        '<svg class="drawing" viewBox="0 0 1000 1000" preserveAspectRatio="none" aria-hidden="true" '
        f'focusable="false">{thread.drawing_svg}</svg>'
    )


def _arrowhead() -> str:
    """The head of every arrow in the list's drawings, defined once (comments_drawing.ARROW_MARKER_ID)."""
    return (
        '<svg class="drawing-defs" aria-hidden="true" focusable="false"><defs>'
        f'<marker id="{ARROW_MARKER_ID}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="drawing-head"></path></marker>'
        "</defs></svg>"
    )


def _thread(thread: Thread, *, base: str, hidden: str, words: _Labels, names: dict[int, str], **flags) -> str:
    """One thread as HTML: every text from a person or a catalogue is escaped here (names by _names); ids are
    integers and times are digits and punctuation (comments_drawing.format_timecode)."""
    pk, timecode = thread.pk, thread.timecode
    if thread.still:
        still = f'<img src="{base}{pk}/still.jpg" alt="{words.frame_at % {"time": timecode}}" loading="lazy">'
    else:
        still = f'<span class="frame-missing">{words.missing}</span>'
    if flags["player"]:
        time = f'<button type="button" class="link-button timecode" data-seek="{thread.at_seconds}">{timecode}</button>'
    else:
        time = f'<strong class="timecode">{timecode}</strong>'
    badges = words.internal_badge if thread.internal else ""
    badges += words.resolved_badge if thread.resolved_at else words.open_badge
    if thread.is_cited:
        badges += words.cited_badge
    replies = "".join(
        f'<li id="comment-{r.pk}"><strong>{names[r.author_id]}:</strong> {_body(r.body)}</li>'
        for r in thread.reply_list
    )
    if replies:
        replies = f'<ol class="replies" aria-label="{words.replies}">{replies}</ol>'
    reply_form = (
        f'<form method="post" action="{base}{pk}/reply/" class="reply-form" data-one-request>{hidden}'
        f'<label for="reply-{pk}" class="visually-hidden">{words.your_reply}</label>'
        f'<textarea id="reply-{pk}" name="body" rows="1" maxlength="4000" required '
        f'placeholder="{words.reply_placeholder}"></textarea>'
        f'<button type="submit" class="secondary">{words.reply}</button></form>'
    )
    resolve_form = ""
    if flags["reviewer_view"]:
        resolve_form = (
            f'<form method="post" action="{base}{pk}/resolve/" class="resolve-form" data-one-request>{hidden}'
            f"{words.reopen_fields if thread.resolved_at else words.resolve_fields}</form>"
        )
    classes = "thread" + (" is-resolved" if thread.resolved_at else "") + (" is-internal" if thread.internal else "")
    return (
        f'<li id="comment-{pk}" class="{classes}" data-thread>'
        f'<figure class="frame-still">{still}{_drawing(thread)}</figure><div class="thread-body">'
        f'<p class="thread-head">{time} · {names[thread.author_id]} {badges}</p>'
        f'<p class="comment-text">{_body(thread.body)}</p>{replies}{reply_form}{resolve_form}</div></li>'
    )


@register.simple_tag(takes_context=True)
def frame_threads(context, threads, *, video, back: str, player=False, reviewer_view=False, artist_hidden=False):
    words = _Labels()
    if not threads:
        return format_html('<p class="muted">{}</p>', words.empty)
    request = context["request"]
    base = reverse("submissions:comment_still", args=[0]).removesuffix("0/still.jpg")
    hidden = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="back" value="{}">'
        '<input type="hidden" name="submit_key" value="{}">',
        get_token(request),
        back,
        context.get("submit_key", ""),
    )
    flags = {"player": bool(player), "reviewer_view": bool(reviewer_view)}
    names = _names(threads, video, bool(artist_hidden), words)
    rows = "".join(_thread(t, base=base, hidden=hidden, words=words, names=names, **flags) for t in threads)
    return mark_safe(f'{_arrowhead()}<ol class="threads" aria-label="{words.list}">{rows}</ol>')  # escaped above


def _short(text: str, size: int = 80) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


@register.simple_tag
def cite_choices(citable, cited_ids):
    """The decision form's checkboxes: the unresolved threads the artist sees, to cite (from comment_threads)."""
    return mark_safe(  # the body escaped here; ids are integers, times digits and punctuation
        "".join(
            f'<div><input type="checkbox" name="cite" value="{t.pk}" id="cite-{t.pk}"'
            f'{" checked" if t.pk in cited_ids else ""}> <label for="cite-{t.pk}" class="inline-label">'
            f'<span class="timecode">{t.timecode}</span> {esc(_short(t.body))}</label></div>'
            for t in citable
        )
    )
