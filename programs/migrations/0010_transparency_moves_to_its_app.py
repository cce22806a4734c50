"""The transparency models move to the transparency app: gone from programs' state, their tables stay as they
are (transparency.0001 takes them over under the same names, with their rows and triggers)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0009_timeentry_form_token"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TransparencySnapshot"),
                migrations.DeleteModel(name="TransparencyRelease"),
            ],
            database_operations=[],
        ),
    ]
