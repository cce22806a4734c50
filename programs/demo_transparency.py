"""Demo data for the transparency report: a published snapshot (the report itself is computed, never seeded)."""

from programs.models import Program
from transparency.models import TransparencySnapshot
from transparency.services import transparency_snapshot_publish


def seed_transparency(program: Program, people: dict) -> None:
    """Publish the demo program's first snapshot once; later runs add nothing."""
    if not TransparencySnapshot.objects.filter(program=program).exists():
        transparency_snapshot_publish(program=program, actor=people["staff"][0])
