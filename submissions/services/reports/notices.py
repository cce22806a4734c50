"""The reporter's in-portal notices."""

from django.utils import timezone

from submissions.models import ReportNotice


def notices_mark_read(*, user, notice: ReportNotice | None = None) -> int:
    """Mark one notice (or all of the user's unread notices) as read; returns how many changed."""
    notices = ReportNotice.objects.filter(user=user, read_at__isnull=True)
    if notice is not None:
        notices = notices.filter(pk=notice.pk)
    return notices.update(read_at=timezone.now())
