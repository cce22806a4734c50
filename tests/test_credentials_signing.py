"""Content Credentials on published copies: real signing and reading with the C2PA library (no mocks)."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from programs.public_credit import user_profile_update
from programs.services.consent import consent_set
from submissions import credentials
from submissions.credentials import keys
from submissions.models import VideoSigning
from submissions.services import credentials as credential_services
from submissions.storage import sha256_of
from tests.credentials_helpers import publish

TRAINING_USES = {"data_mining", "ai_training", "ai_generative_training", "ai_inference"}


@pytest.fixture
def published(program, artist, reviewer, django_capture_on_commit_callbacks):
    consent_set(user=artist, program=program, training=False, marketing=True, showcase=True)
    return publish(artist, program, reviewer, django_capture_on_commit_callbacks)


def _read(signing: VideoSigning) -> credentials.Credentials:
    return credentials.read_credentials(default_storage.path(signing.file.name), content_type="video/mp4")


def test_publication_signs_a_copy_whose_every_assertion_reads_back(published, artist, program):
    signing = published.signings.get()
    assert signing.reason == VideoSigning.Reason.PUBLICATION and signing.requested_by == artist
    assert signing.demo_signer and keys.DEMO_SIGNER_NAME in signing.signer
    read = _read(signing)
    assert read.state == credentials.TRUSTED, read.reasons
    assert read.artist == "Ada Artist" and read.program == program.name and read.title == published.display_title
    assert read.page_url.endswith(f"/gallery/{published.public_id}/")
    assert read.software_agent == "Lumen 0.9.2"
    assert read.digital_source_type.endswith("/trainedAlgorithmicMedia")
    assert read.training == dict.fromkeys(TRAINING_USES, "notAllowed")
    assert read.signer == keys.DEMO_SIGNER_NAME and read.generator == "Glasshouse"
    assert read.ingredients == ()  # the received clip carried no credentials of its own
    path = default_storage.path(signing.file.name)
    assert sha256_of(path) == signing.sha256 and Path(path).stat().st_size == signing.size_bytes
    assert signing.sha256 != published.sha256  # the original stays as received
    assert published.events.filter(reason__startswith="Published copy signed").count() == 1


def test_the_original_file_is_left_as_received(published):
    assert sha256_of(default_storage.path(published.file.name)) == published.sha256


def test_one_flipped_byte_makes_the_signed_copy_invalid_with_the_librarys_reason(published, tmp_path):
    data = bytearray(Path(default_storage.path(published.signings.get().file.name)).read_bytes())
    data[len(data) * 3 // 4] ^= 0x01  # inside the media data, far from the manifest
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(bytes(data))
    read = credentials.read_credentials(str(damaged))
    assert read.state == credentials.INVALID
    assert any("mismatch" in reason for reason in read.reasons), read.reasons
    assert read.artist == "Ada Artist"  # what it claims is still shown, but does not hold


def resign(capture) -> int:
    """The sweep, with the tasks it queues run when its transactions commit (in-process, as in the tests)."""
    with capture(execute=True):
        return credential_services.credentials_resign_due()


def test_a_consent_change_re_signs_and_keeps_the_history(
    published, artist, program, django_capture_on_commit_callbacks
):
    assert not credential_services.credentials_due(published)
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    published.refresh_from_db()
    assert credential_services.credentials_due(published)

    assert resign(django_capture_on_commit_callbacks) == 1  # the sweep queues it; the task runs in-process
    first, second = published.signings.order_by("number")
    assert second.reason == VideoSigning.Reason.CHANGE and second.requested_by is None
    assert _read(second).training == dict.fromkeys(TRAINING_USES, "allowed")
    assert _read(first).training == dict.fromkeys(TRAINING_USES, "notAllowed")  # the old copy still says so
    assert first.claims["consent_version"] == 1 and second.claims["consent_version"] == 2
    assert second.sha256 != first.sha256
    assert resign(django_capture_on_commit_callbacks) == 0  # nothing more to do


def test_a_per_video_choice_beats_the_program_consent(program, artist, reviewer, django_capture_on_commit_callbacks):
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    from tests.video_helpers import PROVENANCE

    provenance = PROVENANCE.__class__(**{**PROVENANCE.__dict__, "consent_training": False})
    video = publish(artist, program, reviewer, django_capture_on_commit_callbacks, provenance=provenance)
    signing = video.signings.get()
    assert signing.claims["training_from"] == "video"
    assert _read(signing).training["ai_training"] == "notAllowed"


def test_an_anonymous_credit_is_signed_as_anonymous_and_a_credit_change_re_signs(
    published, artist, django_capture_on_commit_callbacks
):
    user_profile_update(user=artist, credit_name="", credit_anonymous=True)
    resign(django_capture_on_commit_callbacks)
    assert _read(published.signings.first()).artist == "anonymous"


def test_signing_twice_records_one_signing(published):
    assert credential_services.credentials_sign(video_id=published.pk) is None
    assert published.signings.count() == 1


def test_an_unpublished_video_is_not_signed_again(published, artist, program, django_capture_on_commit_callbacks):
    from submissions.services import approvals

    approvals.video_unpublish(video_id=published.pk, actor=artist)
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    assert resign(django_capture_on_commit_callbacks) == 0


def test_a_file_without_a_manifest_reads_as_absent(published):
    read = credentials.read_credentials(default_storage.path(published.file.name))
    assert read.state == credentials.ABSENT and not read.present


def test_the_demo_signer_is_made_once_under_the_media_folder(settings, published):
    folder = keys.demo_folder()
    assert str(folder).startswith(str(settings.MEDIA_ROOT))
    key = folder / keys.DEMO_FILES["key"]
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    before = key.read_bytes()
    keys.ensure_demo_signer()
    assert key.read_bytes() == before
    assert b"BEGIN CERTIFICATE" in keys.trust_anchor_pem()


def test_the_providers_manifest_is_kept_as_an_ingredient(
    program, artist, reviewer, tmp_path, django_capture_on_commit_callbacks
):
    from tests.credentials_helpers import provider_signed
    from tests.video_helpers import clip

    data = provider_signed(clip(seconds=0.4, width=64, height=48, hue=811), tmp_path / "provider")
    video = publish(artist, program, reviewer, django_capture_on_commit_callbacks, data=data)
    assert video.provider_credentials["state"] == credentials.VALID
    assert video.provider_credentials["generator"] == "Lumen render farm"
    read = _read(video.signings.get())
    assert read.state == credentials.TRUSTED, read.reasons
    assert read.ingredients == ("File as received from the generation service",)
    assert video.signings.get().claims["provider_manifest"] == "kept as an ingredient"


def test_a_consent_change_that_leaves_training_as_it_was_signs_nothing(
    published, artist, program, django_capture_on_commit_callbacks
):
    consent_set(user=artist, program=program, training=False, marketing=False, showcase=True)
    assert resign(django_capture_on_commit_callbacks) == 0 and published.signings.count() == 1


def test_production_signs_with_the_files_the_environment_names(
    settings, tmp_path, program, artist, reviewer, django_capture_on_commit_callbacks
):
    from portal.checks import check_content_credentials_signer

    folder = tmp_path / "production-keys"
    paths = {part: folder / name for part, name in keys.DEMO_FILES.items()}
    keys._write_demo_signer(folder, paths)  # a chain of the test's own, standing in for the real one
    settings.C2PA_SIGNER_KEY, settings.C2PA_SIGNER_CERTS = str(paths["key"]), str(paths["certs"])
    settings.C2PA_TRUST_ANCHOR = str(paths["anchor"])
    assert check_content_credentials_signer(None) == []
    signing = publish(artist, program, reviewer, django_capture_on_commit_callbacks).signings.get()
    assert not signing.demo_signer and _read(signing).state == credentials.TRUSTED
    assert keys.trust_anchor_pem() == paths["anchor"].read_bytes()
    assert not keys.demo_folder().exists()  # no demo signer was made

    settings.C2PA_SIGNER_CERTS = str(tmp_path / "missing.pem")
    (error,) = check_content_credentials_signer(None)
    assert error.id == "portal.E002" and "missing.pem" in error.msg


def test_an_invalid_provider_manifest_is_recorded_and_the_copy_is_signed_without_it(
    program, artist, reviewer, tmp_path, django_capture_on_commit_callbacks
):
    from tests.credentials_helpers import corrupt_manifest, provider_signed
    from tests.video_helpers import clip

    data = corrupt_manifest(provider_signed(clip(seconds=0.4, width=64, height=48, hue=821), tmp_path / "provider"))
    video = publish(artist, program, reviewer, django_capture_on_commit_callbacks, data=data)
    assert video.provider_credentials["state"] == credentials.INVALID and video.provider_credentials["reasons"]
    signing = video.signings.get()
    assert signing.claims["provider_manifest"] == "invalid: not carried"
    read = _read(signing)
    assert read.state == credentials.TRUSTED and read.ingredients == ()
