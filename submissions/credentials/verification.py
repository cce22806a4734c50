"""What /verify/ answers about a file: its Content Credentials, and whether it is a copy the portal published.

Read-only over the published videos; the same answer is rendered as a page and as JSON for tools.
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.mail import absolute_url
from submissions.credentials import assets
from submissions.credentials.assets import Credentials
from submissions.models import Video, VideoSigning

SIGNED, EARLIER_SIGNED, ORIGINAL = "signed_copy", "earlier_signed_copy", "original"
_PAGE_ID = re.compile(r"/gallery/([0-9a-f-]{36})/?$")

EXPLANATIONS = {
    assets.TRUSTED: _(
        "This file carries Content Credentials signed by this portal, and nothing in it has changed since it was "
        "signed. What they say (who made it, in which program, what it may be used for) is the portal's record."
    ),
    assets.VALID: _(
        "This file carries Content Credentials with an intact signature, but from a signer this portal does not "
        "know. What they say is that signer's claim, not the portal's."
    ),
    assets.INVALID: _(
        "This file carries Content Credentials, but they do not hold: the file was changed after it was signed, or "
        "its credentials are damaged or were made for another file. Do not rely on what they say. The reason the "
        "C2PA library gives is shown."
    ),
    assets.ABSENT: _(
        "This file carries no Content Credentials. Re-encoding, trimming or uploading to most sites removes them, "
        "so a copy of a published video may have none; the exact-copy check below still applies."
    ),
    assets.UNREADABLE: _(
        "This file is not in a format that can carry Content Credentials, or is not a media file at all."
    ),
}
STATE_LABELS = {
    assets.TRUSTED: _("Valid, signed by this portal"),
    assets.VALID: _("Valid, signed by someone else"),
    assets.INVALID: _("Invalid"),
    assets.ABSENT: _("No Content Credentials"),
    assets.UNREADABLE: _("Cannot carry Content Credentials"),
}


def answers() -> list[tuple[str, str]]:
    """Each possible answer and what it means, for the page's legend."""
    return [(str(STATE_LABELS[state]), str(EXPLANATIONS[state])) for state in EXPLANATIONS]


MATCH_LABELS = {
    SIGNED: _("Byte for byte the published copy, as the portal signed it."),
    EARLIER_SIGNED: _(
        "Byte for byte an earlier signed copy of this video; the portal has signed it again since (its consent or "
        "credit changed), so what this copy states may be out of date."
    ),
    ORIGINAL: _("Byte for byte the file as the artist sent it, before the portal signed its published copy."),
    "": _("Not byte for byte any copy the portal published."),
}
TRAINING_USE_LABELS = {
    "data_mining": _("Data mining"),
    "ai_training": _("AI training"),
    "ai_generative_training": _("Generative AI training"),
    "ai_inference": _("AI inference"),
}
USE_LABELS = {"allowed": _("allowed"), "notAllowed": _("not allowed"), "constrained": _("allowed with conditions")}


def training_rows(training: dict) -> list[tuple[str, str]]:
    """Each training and mining use, in words: [("AI training", "not allowed"), ...]."""
    return [
        (str(TRAINING_USE_LABELS.get(use, use)), str(USE_LABELS.get(value, value))) for use, value in training.items()
    ]


@dataclass(frozen=True)
class Verification:
    sha256: str
    credentials: Credentials | None  # None when only a hash was given
    video: Video | None  # the published video this file is a copy of, or that its credentials name
    match: str  # SIGNED, EARLIER_SIGNED, ORIGINAL or "" (not a copy the portal published)

    @property
    def explanation(self) -> str:
        return str(EXPLANATIONS[self.credentials.state]) if self.credentials else ""

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.credentials.state]) if self.credentials else ""

    @property
    def match_label(self) -> str:
        return str(MATCH_LABELS[self.match])

    @property
    def training_rows(self) -> list[tuple[str, str]]:
        return training_rows(self.credentials.training if self.credentials else {})

    def as_json(self) -> dict:
        video = self.video
        return {
            "sha256": self.sha256,
            "published_copy": self.match in (SIGNED, EARLIER_SIGNED, ORIGINAL),
            "match": self.match or None,
            "match_explanation": self.match_label,
            "video": None if video is None else {
                "title": video.display_title,
                "artist": video.artist.public_credit,
                "program": video.program.name,
                "page_url": absolute_url(reverse("submissions:gallery_video", args=[video.public_id])),
                "published_at": video.review.published_at.isoformat() if video.review.published_at else None,
            },
            "credentials": None if self.credentials is None else {
                **self.credentials.as_dict(),
                "state_label": self.state_label,
                "explanation": self.explanation,
            },
            "trust_anchor_url": absolute_url(reverse("submissions:verify_trust_anchor")),
        }  # fmt: skip


def verify(sha256: str, credentials: Credentials | None = None) -> Verification:
    published = Video.objects.filter(status=Video.Status.PUBLISHED).select_related("program", "artist", "review")
    signing = VideoSigning.objects.filter(sha256=sha256, video__in=published).select_related("video").first()
    if signing is not None:
        newest = signing.video.signings.values_list("number", flat=True).first()
        video = published.get(pk=signing.video_id)
        return Verification(sha256, credentials, video, SIGNED if signing.number == newest else EARLIER_SIGNED)
    video = published.filter(sha256=sha256).first()
    if video is not None:
        return Verification(sha256, credentials, video, ORIGINAL)
    return Verification(sha256, credentials, _named_video(published, credentials), "")


def _named_video(published, credentials: Credentials | None) -> Video | None:
    """The published video whose page the portal's own (trusted) credentials name, for a copy that is not exact."""
    if credentials is None or credentials.state != assets.TRUSTED:
        return None
    found = _PAGE_ID.search(credentials.page_url)
    return published.filter(Q(public_id=found.group(1))).first() if found else None
