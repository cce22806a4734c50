"""Open calls in templates: a score cell of the results table, and the gallery's mark for a video that won."""

from django import template

from calls.selectors.calls import CallMark, RankedEntry, marks_for_videos

register = template.Library()


@register.simple_tag
def score_cell(row: RankedEntry, juror, criterion) -> str:
    score = row.cells.get((juror.pk, criterion.pk))
    return "" if score is None else str(score.value)


@register.simple_tag
def call_marks_for(videos) -> dict[int, list[CallMark]]:
    """Marks of every video of a page at once (one query): `{% call_marks_for page.object_list as marks %}`."""
    return marks_for_videos(video.pk for video in videos)


@register.filter
def marks_of(marks: dict[int, list[CallMark]], video) -> list[CallMark]:
    return marks.get(video.pk, [])


@register.inclusion_tag("calls/calls/_mark.html")
def call_mark_list(marks: list[CallMark]) -> dict:
    return {"marks": marks}


@register.simple_tag
def call_marks_of(video) -> list[CallMark]:
    return marks_for_videos([video.pk]).get(video.pk, [])
