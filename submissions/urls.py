from django.urls import path

from core.request_limits import STREAMS, body_limit
from submissions.api import api
from submissions.views import (
    comments,
    direct_uploads,
    publication,
    reports,
    reports_triage,
    review,
    verification,
    videos,
)

app_name = "submissions"
API_URLS = api.urls  # built once: each reading builds new views

urlpatterns: list = [
    # Bug reports and feedback (issue 6)
    path("reports/", reports.report_list, name="reports"),
    path("reports/new/", reports.report_new, name="report_new"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/discard/", reports.report_discard, name="report_discard"),
    path("reports/<int:pk>/answer/", reports.report_answer, name="report_answer"),
    path("reports/<int:pk>/respond/", reports.report_respond, name="report_respond"),
    path("reports/<int:pk>/me-too/", reports.report_me_too, name="report_me_too"),
    path("reports/<int:pk>/me-too/withdraw/", reports.report_me_too_withdraw, name="report_me_too_withdraw"),
    path("reports/<int:pk>/decide/", reports_triage.report_transition, name="report_transition"),
    path("reports/<int:pk>/severity/", reports_triage.report_severity, name="report_severity"),
    path("reports/<int:pk>/accept/", reports_triage.report_accept, name="report_accept"),
    path("reports/screenshots/<int:pk>/", reports.screenshot_file, name="screenshot"),
    path("reports/screenshots/<int:pk>/thumbnail/", reports.screenshot_thumbnail, name="screenshot_thumbnail"),
    path("reports/screenshots/<int:pk>/remove/", reports.screenshot_remove, name="screenshot_remove"),
    path("reports/shared/<slug:slug>/", reports.report_shared_list, name="report_shared_list"),
    path("reports/triage/", reports_triage.report_triage, name="report_triage"),
    path("reports/triage/bulk/", reports_triage.report_bulk, name="report_bulk"),
    path("reports/triage/feedback/", reports_triage.feedback_triage, name="feedback_triage"),
    path("reports/feedback/new/", reports.feedback_new, name="feedback_new"),
    path("reports/feedback/<int:pk>/", reports.feedback_detail, name="feedback_detail"),
    path("reports/feedback/<int:pk>/respond/", reports.feedback_respond, name="feedback_respond"),
    path("reports/feedback/<int:pk>/decide/", reports_triage.feedback_transition, name="feedback_transition"),
    path("reports/feedback/<int:pk>/accept/", reports_triage.feedback_accept, name="feedback_accept"),
    path("reports/notices/<int:pk>/read/", reports.notice_read, name="notice_read"),
    path("reports/notices/read/", reports.notices_read_all, name="notices_read_all"),
    # Generated videos (issue 4)
    path("videos/", videos.video_list, name="video_list"),
    # Direct uploads to the bucket (issue 20): JSON endpoints for the upload page, and the upload's own page
    path("videos/direct/", direct_uploads.direct_upload_start, name="direct_upload_start"),
    path("videos/direct/<uuid:public_id>/", direct_uploads.direct_upload_detail, name="direct_upload_detail"),
    path("videos/direct/<uuid:public_id>/sign/", direct_uploads.direct_upload_sign, name="direct_upload_sign"),
    path(
        "videos/direct/<uuid:public_id>/complete/", direct_uploads.direct_upload_complete, name="direct_upload_complete"
    ),
    path("videos/direct/<uuid:public_id>/abort/", direct_uploads.direct_upload_abort, name="direct_upload_abort"),
    path("videos/new/", videos.video_new, name="video_new"),
    path("videos/<int:pk>/", videos.video_detail, name="video_detail"),
    path("videos/<int:pk>/status/", videos.video_status, name="video_status"),
    path("videos/<int:pk>/withdraw/", videos.video_withdraw, name="video_withdraw"),
    path("videos/<int:pk>/publish/", publication.publish, name="video_publish"),
    path("videos/<int:pk>/unpublish/", publication.unpublish, name="video_unpublish"),
    path("videos/<int:pk>/appeal/", publication.appeal, name="video_appeal"),
    path("videos/<int:pk>/media/video", videos.video_file, name="video_file"),
    path("videos/<int:pk>/media/poster.jpg", videos.video_poster, name="video_poster"),
    path("videos/<int:pk>/media/still-<int:position>.jpg", videos.video_thumbnail, name="video_thumbnail"),
    # Frame-level review (issue 18): comments on a moment or a range, their stills, versions side by side
    path("videos/<int:pk>/comments/", comments.comment_add, name="comment_add"),
    path("videos/<int:pk>/compare/", comments.video_compare, name="video_compare"),
    path("comments/<int:pk>/reply/", comments.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/resolve/", comments.comment_resolve, name="comment_resolve"),
    path("comments/<int:pk>/still.jpg", comments.comment_still, name="comment_still"),
    path("review/", review.queue, name="review_queue"),
    path("review/next/", review.claim_next, name="review_next"),
    path("review/appeals/", review.appeals, name="review_appeals"),
    path("review/<int:pk>/", review.review_video, name="review_video"),
    path("review/<int:pk>/claim/", review.claim, name="review_claim"),
    path("review/<int:pk>/decide/", review.decide, name="review_decide"),
    path("review/<int:pk>/appeal/", review.decide_appeal, name="review_decide_appeal"),
    path("gallery/", publication.gallery, name="gallery"),
    path("gallery/<uuid:public_id>/", publication.gallery_video, name="gallery_video"),
    path("gallery/<uuid:public_id>/video", publication.gallery_file, name="gallery_file"),
    path("gallery/<uuid:public_id>/poster.jpg", publication.gallery_poster, name="gallery_poster"),
    path("verify/", verification.verify, name="verify"),
    path("verify.json", verification.verify_json, name="verify_json"),
    path("verify/trust-anchor.pem", verification.trust_anchor, name="verify_trust_anchor"),
    path("api/v1/", API_URLS),
]

# The API bounds each body itself (submissions.api installs the program's streaming upload handler once the key
# is known), so the general request size limit does not apply to it.
for _pattern in API_URLS[0]:
    body_limit(STREAMS)(_pattern.callback)
