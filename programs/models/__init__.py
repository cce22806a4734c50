# One module per concern; every model is importable from programs.models.
from programs.models.core import Cohort, Enrolment, EnrolmentEvent, Program, ProgramRole

__all__ = ["Cohort", "Enrolment", "EnrolmentEvent", "Program", "ProgramRole"]
