# One module per concern; Celery's autodiscovery imports this package, which imports them all.
from programs.tasks import compensation  # noqa: F401
