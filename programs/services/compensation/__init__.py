"""Writes for compensation: rate cards, credits, awards, hours, stipends, payouts and reversals.

Every function is one transaction. Money is validated before anything is written; a refusal raises a
CompensationError with a message for the person who asked, and leaves the database as it was.
Ledger lines carry a unique idempotency key, so a retried or doubled call records nothing twice.

`today` parameters default to the local date. Views never pass them; tests and the demo data do, to write
history as of a given day.
"""

from ._shared import (
    MAX_AMOUNT,
    CompensationError,
    CompensationMoveRefused,
    credit_key,
    currency_code,
    money,
    refuse_deleted_account,
    refuse_self_payment,
)
from .credits import award_record, credit_record
from .hours import (
    Status,
    timeentry_approve,
    timeentry_approve_many,
    timeentry_log,
    timeentry_query,
    timeentry_resubmit,
    timeentry_withdraw,
)
from .payouts import line_reverse, payout_record
from .rate_cards import ratecard_publish
from .stipends import stipend_accrue, stipend_period_of

__all__ = [
    "MAX_AMOUNT",
    "CompensationError",
    "CompensationMoveRefused",
    "Status",
    "award_record",
    "credit_key",
    "credit_record",
    "currency_code",
    "line_reverse",
    "money",
    "payout_record",
    "ratecard_publish",
    "refuse_deleted_account",
    "refuse_self_payment",
    "stipend_accrue",
    "stipend_period_of",
    "timeentry_approve",
    "timeentry_approve_many",
    "timeentry_log",
    "timeentry_query",
    "timeentry_resubmit",
    "timeentry_withdraw",
]
