"""Who may see and change what in submissions. Views and services ask these helpers; none checks roles by hand.

`videos` says who may see and change a video, `review_rules` who may decide a review step or an appeal,
`reports` who may see bug reports, feedback and screenshots (used as `submissions.access.reports`).
"""

from submissions.access.review_rules import may_decide, may_decide_appeal
from submissions.access.videos import (
    artist_hidden_from,
    can_see_video,
    get_published_video,
    get_video_for_reviewer,
    get_video_for_user,
    reviewer_program_ids,
    upload_enrolments,
)

__all__ = [
    "artist_hidden_from",
    "can_see_video",
    "get_published_video",
    "get_video_for_reviewer",
    "get_video_for_user",
    "may_decide",
    "may_decide_appeal",
    "reviewer_program_ids",
    "upload_enrolments",
]
