"""/verify/ and /verify.json reading real Content Credentials; the gallery's credentials; the reviewer's view of
the credentials a received file carried."""

import hashlib
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.files.storage import default_storage
from django.urls import reverse

from programs.services.consent import consent_set
from submissions.credentials import keys
from submissions.models import ProgramMediaPolicy
from submissions.services import credentials as credential_services
from tests.credentials_helpers import (
    corrupt_manifest,
    manifest_box,
    provider_signed,
    publish,
    remuxed,
    with_box_after_ftyp,
)
from tests.video_helpers import clip, make_video, uploaded

GiB = 1024**3


@pytest.fixture
def published(program, artist, reviewer, django_capture_on_commit_callbacks):
    consent_set(user=artist, program=program, training=False, marketing=True, showcase=True)
    return publish(artist, program, reviewer, django_capture_on_commit_callbacks)


@pytest.fixture
def signed_bytes(published) -> bytes:
    return Path(default_storage.path(published.signings.get().file.name)).read_bytes()


def _check(client, data: bytes, name: str = "copy.mp4") -> dict:
    response = client.post(reverse("submissions:verify_json"), {"file": uploaded(data, name)})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_published_copy_reads_valid_with_every_claim(client, published, signed_bytes, program):
    answer = _check(client, signed_bytes)
    found = answer["credentials"]
    assert found["state"] == "trusted" and found["reasons"] == []
    assert found["artist"] == "Ada Artist" and found["program"] == program.name
    assert found["page_url"] == f"http://127.0.0.1:8000/gallery/{published.public_id}/"
    assert found["training"] == dict.fromkeys(found["training"], "notAllowed") and len(found["training"]) == 4
    assert answer["match"] == "signed_copy" and answer["published_copy"] is True
    assert answer["video"]["title"] == published.display_title
    assert answer["trust_anchor_url"].endswith("/verify/trust-anchor.pem")


def test_the_page_explains_a_valid_file_in_plain_words(client, published, signed_bytes):
    page = client.post(reverse("submissions:verify"), {"file": uploaded(signed_bytes)}).text
    assert 'data-credentials-state="trusted"' in page and "signed by this portal" in page
    assert "AI training: <strong>not allowed</strong>" in page
    assert (
        'data-match="signed_copy"' in page and reverse("submissions:gallery_video", args=[published.public_id]) in page
    )


def test_a_flipped_byte_reads_invalid_with_the_librarys_reason(client, signed_bytes):
    damaged = bytearray(signed_bytes)
    damaged[len(damaged) * 3 // 4] ^= 0x01
    answer = _check(client, bytes(damaged))
    assert answer["credentials"]["state"] == "invalid" and answer["match"] is None
    assert any("mismatch" in reason for reason in answer["credentials"]["reasons"])
    page = client.post(reverse("submissions:verify"), {"file": uploaded(bytes(damaged))}).text
    assert 'data-credentials-state="invalid"' in page and "mismatch" in page and "do not hold" in page


def test_a_corrupt_manifest_reads_invalid_and_nothing_breaks(client, signed_bytes):
    answer = _check(client, corrupt_manifest(signed_bytes))
    assert answer["credentials"]["state"] == "invalid" and answer["credentials"]["reasons"]


def test_a_manifest_moved_to_another_file_reads_invalid(client, signed_bytes):
    other = clip(seconds=0.4, width=64, height=48, hue=901)
    answer = _check(client, with_box_after_ftyp(other, manifest_box(signed_bytes)))
    assert answer["credentials"]["state"] == "invalid"
    assert answer["credentials"]["reasons"] and answer["match"] is None


def test_a_re_encoded_copy_shows_it_carries_no_credentials(client, signed_bytes):
    answer = _check(client, remuxed(signed_bytes))
    assert answer["credentials"]["state"] == "absent" and answer["match"] is None
    assert "Re-encoding" in answer["credentials"]["explanation"]


def test_the_file_as_received_has_no_credentials_but_is_recognised(client, published):
    answer = _check(client, Path(default_storage.path(published.file.name)).read_bytes())
    assert answer["credentials"]["state"] == "absent" and answer["match"] == "original"


def test_a_file_that_is_no_video_reads_as_unreadable(client, db):
    answer = _check(client, b"not a video at all " * 100, "notes.mp4")
    assert answer["credentials"]["state"] in ("unreadable", "absent", "invalid")
    assert answer["match"] is None


def test_an_earlier_signed_copy_is_recognised_after_a_consent_change(
    client, published, signed_bytes, artist, program, django_capture_on_commit_callbacks
):
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    with django_capture_on_commit_callbacks(execute=True):
        credential_services.credentials_resign_due()
    assert _check(client, signed_bytes)["match"] == "earlier_signed_copy"
    newest = Path(default_storage.path(published.signings.first().file.name)).read_bytes()
    answer = _check(client, newest)
    assert answer["match"] == "signed_copy" and answer["credentials"]["training"]["ai_training"] == "allowed"


def test_a_hash_alone_still_answers(client, published):
    answer = client.post(reverse("submissions:verify_json"), {"sha256": published.signings.get().sha256}).json()
    assert answer["match"] == "signed_copy" and answer["credentials"] is None


def test_bad_requests_get_clear_json_errors(client, db):
    response = client.post(reverse("submissions:verify_json"), {"sha256": "abc"})
    assert response.status_code == 400 and "64 hexadecimal" in response.text
    assert client.get(reverse("submissions:verify_json")).status_code == 405


def test_a_huge_file_is_refused_unread(client, program):
    ProgramMediaPolicy.objects.create(program=program, max_size_bytes=300 * 1024**2)
    url = reverse("submissions:verify_json")
    response = client.generic("POST", url, b"", CONTENT_LENGTH=str(2 * GiB), CONTENT_TYPE="multipart/form-data")
    assert response.status_code == 413


def test_the_trust_anchor_is_public_and_is_the_signers_ca(client, published):
    response = client.get(reverse("submissions:verify_trust_anchor"))
    assert response.status_code == 200 and response["Content-Type"] == "application/x-pem-file"
    assert response.content == keys.trust_anchor_pem()
    page = client.get(reverse("submissions:verify")).text
    assert reverse("submissions:verify_trust_anchor") in page and "What the answers mean" in page
    assert "<dt>Valid, signed by this portal</dt>" in page and "<dt>No Content Credentials</dt>" in page
    fingerprint = hashlib.sha256(
        x509.load_pem_x509_certificate(response.content).public_bytes(Encoding.DER)
    ).hexdigest()
    assert ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2)).upper() in page


def test_the_gallery_shows_the_credentials_and_serves_the_signed_file(client, published, signed_bytes):
    page = client.get(reverse("submissions:gallery_video", args=[published.public_id])).text
    assert 'data-credentials="signed"' in page and "Download the signed file" in page
    assert published.signings.get().sha256 in page and "AI training: <strong>not allowed</strong>" in page
    served = client.get(reverse("submissions:gallery_file", args=[published.public_id]) + "?download=1")
    assert b"".join(served.streaming_content) == signed_bytes


def test_the_gallery_keeps_the_signing_history(client, published, artist, program, django_capture_on_commit_callbacks):
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    with django_capture_on_commit_callbacks(execute=True):
        credential_services.credentials_resign_due()
    page = client.get(reverse("submissions:gallery_video", args=[published.public_id])).text
    assert "Signing history" in page and page.count("<li>") >= 2 and "AI training: <strong>allowed</strong>" in page


@pytest.mark.parametrize(
    ("make", "state", "words"),
    [
        (lambda data, folder: data, "absent", "absent"),
        (provider_signed, "valid", "present and valid"),
        (lambda data, folder: corrupt_manifest(provider_signed(data, folder)), "invalid", "present but invalid"),
    ],
)
def test_reviewers_see_the_credentials_the_received_file_carried(
    client, program, artist, reviewer, tmp_path, make, state, words
):
    from tests.approval_helpers import setup_review

    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    data = make(clip(seconds=0.4, width=64, height=48, hue=700 + len(state)), tmp_path)
    video = make_video(artist, program, data=data)
    assert video.provider_credentials["state"] == state
    client.force_login(reviewer)
    page = client.get(reverse("submissions:review_video", args=[video.pk])).text
    assert f'data-provider-credentials="{state}"' in page and words in page
    client.force_login(artist)
    assert words in client.get(reverse("submissions:video_detail", args=[video.pk])).text


def test_a_trimmed_copy_that_kept_the_manifest_reads_invalid(client, signed_bytes):
    answer = _check(client, signed_bytes[: len(signed_bytes) * 9 // 10])  # the end of the media data cut off
    assert answer["credentials"]["state"] == "invalid" and answer["credentials"]["reasons"]
    assert answer["match"] is None
