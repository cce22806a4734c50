# One module per concern; importing registers the models with the admin site.
from programs.admin import (
    compensation,  # noqa: F401
    enrolment,  # noqa: F401
)
