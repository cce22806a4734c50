"""The ingestion API: the program's generation service sends every video it makes for a tester.

POST /api/v1/videos (multipart form, `Authorization: Bearer <key>`), GET /api/v1/videos/{id},
and the OpenAPI document at /api/v1/openapi.json. Errors are JSON: {"detail": "<message>"}.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest
from ninja import File, Form, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import Field, Json

from core.client_ip import client_ip
from portal.models import User
from programs.access import contributing_enrolment
from submissions.models import ApiKey, ProgramMediaPolicy, Video
from submissions.services import api_keys
from submissions.services import videos as video_services
from submissions.uploads import UploadTooLarge, install_upload_handler

SettingValue = str | int | float | bool


# Unknown keys per client (core.client_ip, behind our proxies) in a minute: enough for a misconfigured service
# to notice its mistake, far too few to guess a key.
BAD_KEYS_PER_MINUTE = 20


class RevokedKey(Exception):
    pass


class TooManyBadKeys(Exception):
    pass


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        bad_keys = f"api-throttle:bad-keys:{client_ip(request)}"
        if cache.get(bad_keys, 0) >= BAD_KEYS_PER_MINUTE:
            raise TooManyBadKeys()
        key = ApiKey.objects.select_related("program").filter(key_hash=ApiKey.hash(token)).first()
        if key is None:
            _count(bad_keys)
            return None
        if not key.is_active:
            raise RevokedKey()
        api_keys.api_key_record_use(key)
        # Only now is the program, and so its size limit, known: install the streaming handler before
        # anything reads the body.
        policy = ProgramMediaPolicy.for_program(key.program)
        install_upload_handler(request, max_bytes=policy.max_size_bytes, drain=False)
        return key


def _count(cache_key: str) -> None:
    cache.add(cache_key, 0, timeout=60)
    try:
        cache.incr(cache_key)
    except ValueError:  # expired between the two calls
        cache.add(cache_key, 1, timeout=60)


class PerKeyThrottle(SimpleRateThrottle):
    """At most API_RATE_LIMIT requests per key (e.g. "120/min"), so a runaway generation service cannot flood the
    review queue; the excess gets 429 with Retry-After. The rate is read per request so that it can be changed."""

    def __init__(self) -> None:
        super().__init__(rate=settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(settings.API_RATE_LIMIT)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        return f"api-throttle:key:{request.auth.key_hash}"


api = NinjaAPI(
    title="Glasshouse ingestion API",
    version="1",
    description=(
        "The program's generation service sends each video it generates for a tester. Authenticate with "
        "a program API key (staff create and revoke them in the admin) as `Authorization: Bearer <key>`. "
        "Sending the same `external_id`, or the same file for the same artist, returns the existing video."
    ),
    urls_namespace="submissions:api",  # mounted by submissions/urls.py
    docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids; the schema is enough
    auth=ApiKeyAuth(),
    throttle=PerKeyThrottle(),
)


class VideoIn(Schema):
    artist: str = Field(
        min_length=1, max_length=254, description="The artist's email address, or their numeric user id."
    )
    prompt: str = Field(min_length=1, max_length=20000)
    model_name: str = Field(min_length=1, max_length=120)
    model_version: str = Field("", max_length=60)
    generation_settings: Json[dict[str, SettingValue]] | None = Field(
        None, description='A JSON object of names and values, e.g. {"seed": 42, "guidance": 7.5}.'
    )
    external_id: str = Field("", max_length=200, description="Your id for this video; makes retries safe.")
    source_key: str = Field(
        "", max_length=500, description="Instead of a file: a key under incoming/<program slug>/ in the bucket."
    )
    title: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    consent_training: bool | None = None
    consent_marketing: bool | None = None
    consent_showcase: bool | None = None


class VideoOut(Schema):
    id: int
    status: str
    status_label: str
    program: str
    artist_id: int
    external_id: str
    sha256: str
    source: str
    title: str
    created_at: dt.datetime
    duration_seconds: Decimal | None
    width: int | None
    height: int | None
    video_codec: str
    invalid_reason: str

    @staticmethod
    def resolve_status_label(video: Video) -> str:
        return video.get_status_display()

    @staticmethod
    def resolve_invalid_reason(video: Video) -> str:
        return video.invalid_reason_text

    @staticmethod
    def resolve_program(video: Video) -> str:
        return video.program.slug


class Error(Schema):
    detail: str


ERRORS = {400: Error, 401: Error, 404: Error, 409: Error, 413: Error, 422: Error, 429: Error}


@api.post("/videos", response={200: VideoOut, 201: VideoOut, **ERRORS}, url_name="videos")
def create_video(request: HttpRequest, data: Form[VideoIn], file: File[UploadedFile | None] = None) -> Status:
    """Send a video: a file in the `file` part, or a `source_key` of a file already in the bucket.

    201 when a new video was made, 200 when this external id or file was already received (the same video)."""
    program = request.auth.program
    artist = _find_artist(data.artist)
    enrolment = contributing_enrolment(artist, program) if artist else None
    if enrolment is None:
        raise video_services.VideoError(f"{data.artist!r} is not an active artist of {program.name}.")
    video, created = video_services.video_create(
        enrolment=enrolment,
        actor=None,
        source=Video.Source.API,
        api_key=request.auth,
        external_id=data.external_id.strip(),
        upload=file,
        source_key=data.source_key.strip(),
        provenance=video_services.Provenance(
            title=data.title,
            prompt=data.prompt,
            model_name=data.model_name,
            model_version=data.model_version,
            generation_settings=data.generation_settings or {},
            notes=data.notes,
            consent_training=data.consent_training,
            consent_marketing=data.consent_marketing,
            consent_showcase=data.consent_showcase,
        ),
    )
    return Status(201 if created else 200, video)


@api.get("/videos/{video_id}", response={200: VideoOut, 401: Error, 404: Error, 429: Error}, url_name="video")
def get_video(request: HttpRequest, video_id: int) -> Video:
    """A video this key's program received, with its processing state."""
    video = Video.objects.select_related("program").filter(pk=video_id, program=request.auth.program).first()
    if video is None:
        raise Http404
    return video


def _find_artist(reference: str) -> User | None:
    reference = reference.strip()
    if reference.isdigit():
        return User.objects.filter(pk=int(reference)).first()
    return User.objects.filter(email__iexact=reference).first()


def _error(request, status: int, message: str, **headers):
    response = api.create_response(request, {"detail": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    message = "Missing or unknown API key. Send it as 'Authorization: Bearer <key>'."
    return _error(request, 401, message, **{"WWW-Authenticate": "Bearer"})


@api.exception_handler(RevokedKey)
def _revoked(request, exc):
    return _error(request, 401, "This API key has been revoked.", **{"WWW-Authenticate": "Bearer"})


@api.exception_handler(TooManyBadKeys)
def _too_many_bad_keys(request, exc):
    return _error(request, 429, "Too many unknown API keys from this address.", **{"Retry-After": "60"})


@api.exception_handler(UploadTooLarge)
def _too_large(request, exc: UploadTooLarge):
    return _error(request, 413, exc.message)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "No such video in this program.")


@api.exception_handler(video_services.VideoError)
def _refused(request, exc: video_services.VideoError):
    status = 409 if isinstance(exc, video_services.DuplicateExternalId) else 422
    return _error(request, status, exc.message)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    parts = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ())[1:] if p not in ("form", "data")) or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return _error(request, 422, "; ".join(parts) or "The request is not valid.")
