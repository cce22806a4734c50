"""What the provider adapter tests share: a real tiny MP4 to serve as a finished result, a port that accepts and
never answers (a provider that hangs), and a port where nothing listens (a provider that is down).

The providers' own HTTP shapes are served by pytest-httpserver in each test file, from the official SDKs' types.
"""

import contextlib
import functools
import io
import socket

import av
import pytest

from demo import testclips


@pytest.fixture(autouse=True)
def no_unexpected_requests(httpserver):
    """Every request an adapter sent was one the test expected, in the order it expected, and every ordered
    expectation was met (checked after each test; an unexpected request would otherwise only show as the 500 the
    server answers it with)."""
    yield
    httpserver.check_assertions()
    assert httpserver.ordered_handlers == [], "an ordered request the test expected never came"


@functools.cache
def tiny_mp4() -> bytes:
    return testclips.make_clip(seconds=1, width=160, height=96, audio=False)


def assert_is_video(data: bytes) -> None:
    """The bytes decode as the clip served: an H.264 stream of the right size."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.width, stream.height) == ("h264", 160, 96)


@contextlib.contextmanager
def hanging_server():
    """A loopback address that accepts connections (the kernel's backlog) and never sends a byte."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=16)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def closed_url() -> str:
    """A loopback address where nothing listens: connections are refused at once."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
