"""What the portal's manifest says about a published video, built from the video's records at signing time.

The claims are plain data (kept with each signing, compared to decide whether a re-signing is due); the manifest
is made from them alone, so the same claims always give the same assertions.
"""

from django.urls import reverse

from core.mail import absolute_url
from submissions.credentials.assets import CREATIVE_WORK_LABEL, TRAINING_LABEL
from submissions.models import Video

GENERATOR = {"name": "Glasshouse", "version": "1"}
TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
ANONYMOUS = "anonymous"
# The consent ledger asks one question about model training; each of the CAWG's four uses is a use by a model
# (mining the file for a dataset, training, generative training, inference on it), so each follows that answer.
TRAINING_USES = ("data_mining", "ai_training", "ai_generative_training", "ai_inference")


def claims_for(video: Video, *, training_allowed: bool, training_from_video: bool, consent_version: int | None) -> dict:
    """The facts a signing states. `training_*` come from the consent ledger as it stands (services.videos)."""
    artist = video.artist
    use = "allowed" if training_allowed else "notAllowed"
    return {
        "title": video.display_title,
        "artist": ANONYMOUS if artist.credit_anonymous else (artist.credit_name or artist.display_name or ANONYMOUS),
        "program": video.program.name,
        "program_url": absolute_url(reverse("programs:detail", args=[video.program.slug])),
        "page_url": absolute_url(reverse("submissions:gallery_video", args=[video.public_id])),
        "model": {"name": video.model_name, "version": video.model_version},
        "training": dict.fromkeys(TRAINING_USES, use),
        "training_from": "video" if training_from_video else "program",
        "consent_version": consent_version,
    }


def manifest_from(claims: dict) -> dict:
    agent = {key: value for key, value in claims["model"].items() if value}
    return {
        "claim_generator_info": [GENERATOR],
        "title": claims["title"],
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                            "softwareAgent": agent,
                        }
                    ]
                },
            },
            {
                "label": CREATIVE_WORK_LABEL,
                "data": {
                    "@context": "https://schema.org",
                    "@type": "CreativeWork",
                    "name": claims["title"],
                    "author": [{"@type": "Person", "name": claims["artist"]}],
                    "isPartOf": {
                        "@type": "CreativeWorkSeries",
                        "name": claims["program"],
                        "url": claims["program_url"],
                    },
                    # The public page of the video, with its approval record.
                    "url": claims["page_url"],
                },
            },
            {
                "label": TRAINING_LABEL,
                "data": {"entries": {f"cawg.{use}": {"use": value} for use, value in claims["training"].items()}},
            },
        ],
    }
