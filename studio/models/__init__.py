# One module per concern; every model is importable from studio.models.
from studio.models.catalogue import GenerationModel, StudioSettings, StylePreset
from studio.models.jobs import GenerationJob, GenerationJobEvent

__all__ = ["GenerationJob", "GenerationJobEvent", "GenerationModel", "StudioSettings", "StylePreset"]
