"""Looking inside files: sniffing, probing and decoding real clips made with PyAV, and broken ones."""

import io
import time
from decimal import Decimal

import pytest
from PIL import Image

from demo import testclips
from programs.models import Program
from submissions import media
from submissions.models import ProgramMediaPolicy
from tests.video_helpers import clip


@pytest.fixture
def policy():
    return ProgramMediaPolicy(program=Program(slug="unsaved"))


def analyse(tmp_path, data: bytes, policy, *, full: bool = True) -> media.MediaReport:
    path = tmp_path / "upload.bin"  # the name says nothing: only the content counts
    path.write_bytes(data)
    return media.analyse(str(path), policy=policy, full=full, deadline=time.monotonic() + 30)


def test_it_describes_an_mp4_clip(tmp_path, policy):
    report = analyse(tmp_path, clip(), policy)
    assert report.container == "mp4"
    assert Decimal("1.9") < report.duration_seconds < Decimal("2.1")
    assert (report.width, report.height, report.frame_rate) == (320, 240, Decimal("25.000"))
    assert (report.video_codec, report.audio_codec) == ("h264", "aac")
    assert report.bit_rate > 0
    assert report.frames_decoded == 3  # the first, middle and last keyframes, not all 50 frames


def test_it_takes_a_poster_and_three_thumbnails_as_jpegs(tmp_path, policy):
    report = analyse(tmp_path, clip(), policy)
    poster = Image.open(io.BytesIO(report.poster_jpeg))
    assert (poster.format, poster.size) == ("JPEG", (320, 240))
    times = [at for at, _ in report.thumbnails]
    assert len(times) == 3 and times == sorted(times)
    assert all(jpeg.startswith(b"\xff\xd8\xff") for _, jpeg in report.thumbnails)


def test_a_long_clip_decodes_the_same_bounded_sample_with_stills_from_start_middle_and_end(tmp_path, policy):
    policy.max_duration_seconds = 3600
    report = analyse(tmp_path, clip(seconds=120, width=64, height=48, fps=5, audio=False), policy)
    assert report.duration_seconds == Decimal("120.000")
    assert report.frames_decoded == 3  # the first, middle and last keyframes of 600 frames
    times = [at for at, _ in report.thumbnails]
    assert times[0] == 0 and Decimal(59) <= times[1] <= Decimal(60) and Decimal(119) <= times[2] < Decimal(120)
    assert len({jpeg for _, jpeg in report.thumbnails}) == 3


def test_it_describes_webm_and_mov(tmp_path, policy):
    webm = analyse(tmp_path, clip(container="webm"), policy)
    assert (webm.container, webm.video_codec, webm.audio_codec) == ("webm", "vp9", "opus")
    mov = analyse(tmp_path, clip(container="mov", audio=False), policy)
    assert (mov.container, mov.audio_codec) == ("mov", "")


def test_a_header_only_check_does_not_decode(tmp_path, policy):
    report = analyse(tmp_path, clip(), policy, full=False)
    assert report.frames_decoded == 0 and report.poster_jpeg == b""


def test_portrait_video_within_the_limit_is_accepted(tmp_path, policy):
    report = analyse(tmp_path, clip(width=1080, height=1920, seconds=0.2), policy)
    assert (report.width, report.height) == (1080, 1920)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty (0 bytes)."),
        (testclips.png_image(), "it is a PNG image"),
        (testclips.html_page(), "it is a web page"),
        (testclips.garbage(), "not a video we can read"),
        (testclips.truncated_without_moov(), "no 'moov' index"),
    ],
    ids=["empty", "png", "html", "garbage", "no-moov"],
)
def test_it_refuses_what_is_not_a_video_whatever_its_name(tmp_path, policy, data, message):
    with pytest.raises(media.InvalidMedia) as refused:
        analyse(tmp_path, data, policy, full=False)
    assert message in refused.value.message


def test_a_file_cut_short_after_its_index_is_caught_by_decoding(tmp_path, policy):
    data = testclips.truncated_data()
    assert analyse(tmp_path, data, policy, full=False).container == "mp4"  # the header looks fine
    with pytest.raises(media.InvalidMedia, match="truncated"):
        analyse(tmp_path, data, policy, full=True)


def test_it_enforces_the_program_limits(tmp_path, policy):
    with pytest.raises(media.InvalidMedia, match=r"lasts 21\.0 s; this program accepts at most 20 s"):
        analyse(tmp_path, clip(seconds=21, width=64, height=48, fps=5, audio=False), policy, full=False)
    with pytest.raises(media.InvalidMedia, match="1920x1088; this program accepts at most 1920x1080"):
        analyse(tmp_path, clip(width=1920, height=1088, seconds=0.12, audio=False), policy, full=False)
    with pytest.raises(media.InvalidMedia, match="encoded with mpeg4"):
        analyse(tmp_path, clip(video_codec="mpeg4"), policy, full=False)
    with pytest.raises(media.InvalidMedia, match="does not accept Matroska MKV"):
        analyse(tmp_path, clip(container="mkv"), policy, full=False)
    policy.max_size_bytes = 1000
    with pytest.raises(media.InvalidMedia, match="accepts files up to"):
        analyse(tmp_path, clip(), policy, full=False)


def test_a_program_can_accept_other_containers(tmp_path, policy):
    policy.accepted_containers = ["mkv"]
    assert analyse(tmp_path, clip(container="mkv"), policy).container == "mkv"
    with pytest.raises(media.InvalidMedia, match="does not accept MP4"):
        analyse(tmp_path, clip(), policy)


def test_processing_past_the_deadline_stops_with_a_reason(tmp_path, policy):
    path = tmp_path / "clip"
    path.write_bytes(clip())
    with pytest.raises(media.ProcessingTimeout, match="too long"):
        media.analyse(str(path), policy=policy, full=True, deadline=time.monotonic() - 1)


def test_sniffing_reads_content_not_names():
    assert media.sniff_container(clip()[:64]) == "mp4"
    assert media.sniff_container(clip(container="webm")[:64]) == "webm"
    assert media.sniff_container(clip(container="mov")[:64]) == "mov"
    assert media.sniff_container(testclips.png_image()[:64]) is None
