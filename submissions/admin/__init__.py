# One module per concern; importing a module registers its ModelAdmins.
from submissions.admin import approvals, reports, videos  # noqa: F401
