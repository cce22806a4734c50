"""The demo studio: jobs in every state for several artists, some become videos in review and published."""

import pytest

from studio.models import GenerationJob, GenerationModel, StylePreset
from submissions.models import Video

pytestmark = pytest.mark.django_db


def test_the_demo_has_jobs_in_every_state_and_their_videos(demo):
    jobs = {job.title: job for job in GenerationJob.objects.filter(program=demo).select_related("video")}
    assert {job.status for job in jobs.values()} == set(GenerationJob.Status.values)
    assert len({job.artist_id for job in jobs.values()}) >= 5
    assert jobs["Harbour gulls"].video.status == Video.Status.PUBLISHED
    assert jobs["Tin robot waltz"].video.status == Video.Status.PENDING_REVIEW
    assert (jobs["Forbidden duel"].status, jobs["Forbidden duel"].failure_kind) == ("failed", "safety")
    assert (jobs["Old lighthouse"].status, jobs["Old lighthouse"].video) == ("expired", None)
    assert jobs["Rain on lilies"].status == "cancelled" and jobs["Rain on lilies"].video is None
    assert [jobs[t].status for t in ("Snow fox", "Desert train", "Moth ballet")] == ["running", "queued", "queued"]
    assert jobs["Harbour gulls"].time_entry is not None  # generation time logged as hours
    assert not Video.objects.filter(source=Video.Source.STUDIO, status=Video.Status.UPLOADED).exists()


def test_the_demo_lists_a_model_near_its_sunset_and_presets_with_stills(demo):
    sora = GenerationModel.objects.get(model_id="sora-2")
    assert sora.sunset_soon() and sora.programs_enabled.filter(program=demo).exists()
    presets = StylePreset.objects.filter(program=demo)
    assert {p.active for p in presets} == {True, False} and all(p.example for p in presets)
