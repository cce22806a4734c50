"""The approval workflow: every move of a video from review to publication, one function each.

Each function runs in one transaction, locks the video row, checks the rule that applies and moves the video
through core.lifecycle (the map is Video.MOVES), which writes a VideoEvent (actor, time, from, to, reason code,
note). A refusal raises ReviewError with a message for the person who asked and
writes nothing. Artists are told of every decision by email and on their video's page.
"""

from ._shared import IN_QUEUE, Kind, Outcome, ReviewError, ReviewMoveRefused, S
from .appeals import appeal_decide, appeals_overturn_overdue, video_appeal
from .deadlines import reviews_approve_overdue, reviews_assign_first_step, reviews_send_reminders
from .opening import first_step, review_link_new_version, review_open
from .publication import published_videos, video_publish, video_unpublish
from .reviewers import review_claim, review_decide, review_release

__all__ = [
    "IN_QUEUE",
    "Kind",
    "Outcome",
    "ReviewError",
    "ReviewMoveRefused",
    "S",
    "appeal_decide",
    "appeals_overturn_overdue",
    "first_step",
    "published_videos",
    "review_claim",
    "review_decide",
    "review_link_new_version",
    "review_open",
    "review_release",
    "reviews_approve_overdue",
    "reviews_assign_first_step",
    "reviews_send_reminders",
    "video_appeal",
    "video_publish",
    "video_unpublish",
]
