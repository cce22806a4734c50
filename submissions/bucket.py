"""The S3 operations of direct uploads: multipart uploads the browser fills through presigned URLs.

The web process only signs requests and asks the bucket about the stored object (its size, its first bytes); the
bytes themselves go from the browser to the bucket, and from the bucket to the video worker in chunks.
With S3_UPLOAD_PROXY_PATH set, the URLs handed to the browser point at that path on the portal's own origin, where
nginx passes them on to the bucket unchanged (the signature covers the bucket's host and path, which nginx sets).
"""

import datetime as dt
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

from submissions.storage import CHUNK, MissingFile, _is_s3, _key, _storage_errors

HEAD_BYTES = 4096
SIGNED_URL_SECONDS = 15 * 60  # long enough for one part on a slow line; each part asks afresh
# What the browser may ask to have signed, and the boto3 operation each one is.
OPERATIONS = {
    "upload_part": "upload_part",
    "list_parts": "list_parts",
    "complete": "complete_multipart_upload",
    "abort": "abort_multipart_upload",
}


def available(storage=default_storage) -> bool:
    return _is_s3(storage)


def _client(storage):
    return storage.connection.meta.client


def multipart_create(name: str, content_type: str, storage=default_storage) -> str:
    """Start a multipart upload under `name`; returns the bucket's upload id."""
    with _storage_errors(name):
        answer = _client(storage).create_multipart_upload(
            Bucket=storage.bucket_name, Key=_key(storage, name), ContentType=content_type
        )
    return answer["UploadId"]


def presign(operation: str, name: str, upload_id: str, part_number: int | None = None, storage=default_storage) -> str:
    """A URL the browser may use once for `operation` on this upload (and part), for SIGNED_URL_SECONDS."""
    params = {"Bucket": storage.bucket_name, "Key": _key(storage, name), "UploadId": upload_id}
    if part_number is not None:
        params["PartNumber"] = part_number
    url = _client(storage).generate_presigned_url(OPERATIONS[operation], Params=params, ExpiresIn=SIGNED_URL_SECONDS)
    return _through_proxy(url)


def _through_proxy(url: str) -> str:
    proxy = settings.S3_UPLOAD_PROXY_PATH
    if not proxy:
        return url
    parts = urlsplit(url)
    return f"{proxy.rstrip('/')}{parts.path}?{parts.query}"


def size_of(name: str, storage=default_storage) -> int | None:
    """The stored object's size by HEAD, or None while there is none (the multipart upload is not complete)."""
    try:
        with _storage_errors(name):
            answer = _client(storage).head_object(Bucket=storage.bucket_name, Key=_key(storage, name))
    except MissingFile:
        return None
    return answer["ContentLength"]


def first_bytes(name: str, count: int = HEAD_BYTES, storage=default_storage) -> bytes:
    """The object's first `count` bytes, by a ranged GET (for sniffing the type)."""
    with _storage_errors(name):
        answer = _client(storage).get_object(
            Bucket=storage.bucket_name, Key=_key(storage, name), Range=f"bytes=0-{count - 1}"
        )
        return answer["Body"].read(count)


def sha256_and_size(name: str, storage=default_storage) -> tuple[str, int]:
    """The SHA-256 and size of the stored object, read as a stream in chunks (never whole in memory)."""
    digest, size = hashlib.sha256(), 0
    with _storage_errors(name):
        body = _client(storage).get_object(Bucket=storage.bucket_name, Key=_key(storage, name))["Body"]
        for chunk in body.iter_chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def multipart_abort(name: str, upload_id: str, storage=default_storage) -> None:
    """Abort a multipart upload, which removes its parts; one already gone (completed or aborted) is fine, and so
    is a storage that is no longer S3 (nothing of it is left to abort)."""
    if not available(storage):
        return
    try:
        with _storage_errors(name):
            _client(storage).abort_multipart_upload(
                Bucket=storage.bucket_name, Key=_key(storage, name), UploadId=upload_id
            )
    except MissingFile:
        pass


def multipart_uploads_before(prefix: str, before: dt.datetime, storage=default_storage) -> list[tuple[str, str]]:
    """(name, upload id) of the unfinished multipart uploads under `prefix` started before `before`."""
    found, location = [], _key(storage, "")
    paginator = _client(storage).get_paginator("list_multipart_uploads")
    with _storage_errors(prefix):
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=_key(storage, prefix)):
            for upload in page.get("Uploads", []):
                if upload["Initiated"] < before:
                    found.append((upload["Key"].removeprefix(location), upload["UploadId"]))
    return found
