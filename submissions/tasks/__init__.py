# One module per concern; Celery's autodiscovery imports this package, which imports every task module.
from submissions.tasks.reports import email_report_notice

__all__ = ["email_report_notice"]
