"""Batch jobs handle each item in its own transaction, and one failing item never stops the rest.

A scheduled job that stops at the first bad row stops at it on every run, for everyone behind it. So every loop
over rows in a beat job goes through `each_in_own_transaction`: the item's writes commit or roll back alone, and
a failure is logged with the job's name and the item, for the operators, while the loop goes on.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

logger = logging.getLogger("core.batch")


@contextmanager
def batch_item(job: str, item: object) -> Iterator[None]:
    """`with batch_item(job, item):` runs the block in its own transaction; if it raises, the block is rolled
    back, the failure logged, and the exception swallowed so the loop around it goes on with the next item."""
    try:
        with transaction.atomic():
            yield
    except Exception:
        logger.exception("%s: item %r failed and was rolled back; the job goes on with the others.", job, item)


@dataclass
class BatchResult:
    done: int = 0
    failed: list = field(default_factory=list)  # the items that raised (each logged)


def each_in_own_transaction[T](job: str, items: Iterable[T], handle: Callable[[T], object]) -> BatchResult:
    """Call `handle(item)` for each item inside its own transaction. An item counts as done unless `handle`
    returns False (nothing to do); one that raises is rolled back, logged and listed in `failed`."""
    result = BatchResult()
    for item in items:
        finished = False
        with batch_item(job, item):
            result.done += handle(item) is not False
            finished = True
        if not finished:
            result.failed.append(item)
    return result
