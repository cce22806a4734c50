# One module per concern (videos, approvals, reports); every model is importable from submissions.models.
__all__: list[str] = []
