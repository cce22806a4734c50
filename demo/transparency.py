"""Demo data for the transparency report: a published snapshot (the report itself is computed, never seeded)."""

from django.utils import timezone

from demo.story import Story, told
from programs.models import Program
from transparency.models import TransparencySnapshot
from transparency.services import transparency_snapshot_publish


def seed_transparency(program: Program, people: dict, story: Story | None = None) -> None:
    """Publish the demo program's first snapshot once, today (last: it counts everything before it)."""
    if not TransparencySnapshot.objects.filter(program=program).exists():
        with told(story) as story:
            story.at(timezone.now(), lambda: transparency_snapshot_publish(program=program, actor=people["staff"][0]))
