"""The list of a video's comment threads, built in Python: a review page may list hundreds of threads, and the
template language's per-variable cost made 200 threads take four times the page without them (see
benchmarks/review_page_comments.py). Every value goes through format_html, so comment text is escaped exactly as
a template would escape it.

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

from submissions.models import FrameComment

register = template.Library()


class _Labels:
    """The words of the list, translated once per list rather than once per thread."""

    def __init__(self):
        escaped = {name: esc(_(text)) for name, text in self.TEXTS.items()}
        self.__dict__.update(escaped)
        self.frame_at = _("The frame at %(time)s")  # escaped once its time is filled in

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
    return esc(text).replace("\r\n", "\n").replace("\n", "<br>")


def _author(comment: FrameComment, video, artist_hidden: bool, words: _Labels) -> str:
    """Escaped."""
    if comment.author_id != video.artist_id:
        return esc(comment.author.get_full_name())
    return words.artist if artist_hidden else f"{esc(comment.author.get_full_name())} ({words.artist_suffix})"


def _drawing(thread: FrameComment) -> str:
    """Numbers only (formatted by comments_drawing.svg_elements from validated floats) and the thread's id."""
    if not thread.drawing:
        return ""
    shapes = []
    for shape in thread.drawing_shapes:
        if shape["kind"] == "stroke":
            shapes.append(f'<polyline points="{esc(shape["points"])}" class="drawing-line"></polyline>')
        elif shape["kind"] == "arrow":
            shapes.append(
                f'<line x1="{esc(shape["x1"])}" y1="{esc(shape["y1"])}" x2="{esc(shape["x2"])}" '
                f'y2="{esc(shape["y2"])}" class="drawing-line" marker-end="url(#arrowhead-{thread.pk})"></line>'
            )
        else:
            shapes.append(
                f'<rect x="{esc(shape["x"])}" y="{esc(shape["y"])}" width="{esc(shape["w"])}" '
                f'height="{esc(shape["h"])}" class="drawing-line"></rect>'
            )
    return (
        '<svg class="drawing" viewBox="0 0 1000 1000" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        f'<defs><marker id="arrowhead-{thread.pk}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="drawing-head"></path>'
        f"</marker></defs>{''.join(shapes)}</svg>"
    )


def _thread(thread: FrameComment, *, video, base: str, hidden: str, words: _Labels, **flags) -> str:
    """One thread as HTML: every text from a person or a catalogue is escaped here; ids are integers."""
    pk, timecode = int(thread.pk), esc(thread.timecode)
    if thread.still:
        alt = esc(words.frame_at % {"time": thread.timecode})
        still = f'<img src="{base}{pk}/still.jpg" alt="{alt}" loading="lazy">'
    else:
        still = f'<span class="frame-missing">{words.missing}</span>'
    if flags["player"]:
        at = esc(str(thread.at_seconds))
        time = f'<button type="button" class="link-button timecode" data-seek="{at}">{timecode}</button>'
    else:
        time = f'<strong class="timecode">{timecode}</strong>'
    badges = [f'<span class="badge badge-internal">{words.internal}</span>'] if thread.internal else []
    if thread.resolved_at:
        badges.append(f'<span class="badge badge-resolved">{words.resolved}</span>')
    else:
        badges.append(f'<span class="badge badge-open">{words.unresolved}</span>')
    if thread.is_cited:
        badges.append(f'<span class="badge badge-cited">{words.cited}</span>')
    replies = "".join(
        f'<li id="comment-{int(r.pk)}"><strong>{_author(r, video, flags["artist_hidden"], words)}:</strong> '
        f"{_body(r.body)}</li>"
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
        value, css, label = ("0", "secondary", words.reopen) if thread.resolved_at else ("1", "", words.resolve)
        resolve_form = (
            f'<form method="post" action="{base}{pk}/resolve/" class="resolve-form" data-one-request>{hidden}'
            f'<input type="hidden" name="resolved" value="{value}"><button type="submit" class="{css}">{label}</button>'
            "</form>"
        )
    classes = "thread" + (" is-resolved" if thread.resolved_at else "") + (" is-internal" if thread.internal else "")
    author = _author(thread, video, flags["artist_hidden"], words)
    return (
        f'<li id="comment-{pk}" class="{classes}" data-thread data-drawing="{esc(thread.drawing_json)}">'
        f'<figure class="frame-still">{still}{_drawing(thread)}</figure><div class="thread-body">'
        f'<p class="thread-head">{time} · {author} {" ".join(badges)}</p>'
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
    flags = {"player": bool(player), "reviewer_view": bool(reviewer_view), "artist_hidden": bool(artist_hidden)}
    rows = "".join(_thread(t, video=video, base=base, hidden=hidden, words=words, **flags) for t in threads)
    return mark_safe(f'<ol class="threads" aria-label="{words.list}">{rows}</ol>')  # every part escaped above


def _short(text: str, size: int = 80) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


@register.simple_tag
def cite_choices(citable, cited_ids):
    """The decision form's checkboxes: the unresolved threads the artist sees, to cite."""
    return mark_safe(  # every text escaped here; ids are integers
        "".join(
            f'<div><input type="checkbox" name="cite" value="{int(t.pk)}" id="cite-{int(t.pk)}"'
            f'{" checked" if t.pk in cited_ids else ""}> <label for="cite-{int(t.pk)}" class="inline-label">'
            f'<span class="timecode">{esc(t.timecode)}</span> {esc(_short(t.body))}</label></div>'
            for t in citable
        )
    )
