"""The few storage operations that differ between the local media folder and S3, each done the cheap way.

- local_copy: a path PyAV can seek in (the file itself locally; a download to a temporary file on S3,
  never the whole object in memory).
- copy_object: a server-side copy on S3, a streamed copy locally.
Failures that are worth retrying (network, disk) are raised as TransientStorageError.
"""

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

CHUNK = 1024 * 1024


class TransientStorageError(Exception):
    """Storage could not be reached or read just now; the work should be retried later."""


class MissingFile(Exception):
    pass


def _is_s3(storage) -> bool:
    return hasattr(storage, "bucket") and hasattr(storage, "bucket_name")


def _key(storage, name: str) -> str:
    location = getattr(storage, "location", "") or ""
    return f"{location.strip('/')}/{name}" if location else name


@contextmanager
def _storage_errors(name: str) -> Iterator[None]:
    try:
        yield
    except FileNotFoundError as exc:
        raise MissingFile(name) from exc
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if status == 404 or exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
            raise MissingFile(name) from exc
        raise TransientStorageError(f"S3 refused {name}: {exc}") from exc
    except (BotoCoreError, OSError) as exc:
        raise TransientStorageError(f"could not reach {name}: {exc}") from exc


@contextmanager
def local_copy(name: str, storage=default_storage, *, digest=None) -> Iterator[str]:
    """A local path holding the bytes of `name` for as long as the block runs.

    Given a hashlib `digest`, it is fed every byte on the way: while downloading from S3 (one pass over the
    network), or in one read of the local file.
    """
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        with _storage_errors(name):
            if not os.path.isfile(path):
                raise FileNotFoundError(path)
            if digest is not None:
                with open(path, "rb") as handle:
                    _feed(digest, handle)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="glasshouse-") as folder:
        target = os.path.join(folder, "media")
        with _storage_errors(name), open(target, "wb") as out:
            sink = out if digest is None else _HashingWriter(out, digest)
            if _is_s3(storage):
                storage.bucket.download_fileobj(_key(storage, name), sink)
            else:
                with storage.open(name, "rb") as src:
                    shutil.copyfileobj(src, sink, CHUNK)
        yield target


class _HashingWriter:
    """A file to write to that hashes what passes through. It has no seek(), so s3transfer writes the parts
    it fetches in parallel in their order (its non-seekable output manager)."""

    def __init__(self, out, digest):
        self.out, self.digest = out, digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)


def size_of(name: str, storage=default_storage) -> int | None:
    """The size of `name` in bytes, or None when there is no such file."""
    try:
        with _storage_errors(name):
            return storage.size(name)
    except MissingFile:
        return None


def sha256_of(path: str) -> str:
    with open(path, "rb") as handle:
        return sha256_of_file(handle)


def sha256_of_file(handle) -> str:
    """The SHA-256 of an open binary file, read in chunks from where it stands."""
    return _feed(hashlib.sha256(), handle).hexdigest()


def _feed(digest, handle):
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest


def copy_object(source: str, target: str, storage=default_storage) -> str:
    """Copy `source` to the exact name `target` (which must be free) and return it."""
    with _storage_errors(source):
        if _is_s3(storage):
            storage.bucket.copy({"Bucket": storage.bucket_name, "Key": _key(storage, source)}, _key(storage, target))
            return target
        with storage.open(source, "rb") as src:
            return storage.save(target, src)


def replace(name: str, data: bytes, storage=default_storage) -> str:
    """Write `data` under exactly `name`, replacing what was there (so a re-run makes no second file)."""
    with _storage_errors(name):
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, ContentFile(data))


def replace_from_path(name: str, path: str, storage=default_storage) -> str:
    """Like `replace`, from a local file of any size (streamed, never held in memory)."""
    with _storage_errors(name), open(path, "rb") as handle:
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, File(handle))


def delete_files(names: list[str], storage=default_storage) -> None:
    """Delete files that are no longer wanted; a file already gone is fine."""
    for name in names:
        if name:
            with _storage_errors(name):
                storage.delete(name)
