"""The transparency models, moved from programs (programs.0006 and 0008 made their tables, programs.0010 dropped
them from its state). Only the state changes here: the tables, their rows and the snapshot's immutability trigger
stay as they were. The models' content types move along, so the "Program staff" group keeps its grant."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP = "Program staff"
MODELS = ("transparencysnapshot", "transparencyrelease")
STAFF_PERMISSIONS = ("view_transparencysnapshot",)


def _merge(apps, old, new) -> None:
    """Both content types exist (a flushed test database restored): the old one's grants go to the new one."""
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type=old):
        twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        for group in permission.group_set.all():
            group.permissions.add(twin)
        for user in permission.user_set.all():
            user.user_permissions.add(twin)
    old.delete()


def move_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label="programs", model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label="transparency", model=model).first()
        if new is None:
            old.app_label = "transparency"
            old.save(update_fields=["app_label"])
        else:
            _merge(apps, old, new)
    ContentType.objects.clear_cache()
    # A new database may have granted the staff permissions before programs made any for the snapshot.
    app_config = apps.get_app_config("transparency")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="transparency", codename__in=STAFF_PERMISSIONS)
        )


def move_permissions_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="transparency", model__in=MODELS).update(app_label="programs")
    ContentType.objects.clear_cache()


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("programs", "0010_transparency_moves_to_its_app"),
        ("submissions", "0005_program_staff_permissions"),  # its grants first, so that they move along
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TransparencySnapshot",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("published_on", models.DateField()),
                        ("data", models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="transparency_snapshots",
                                to="programs.program",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "programs_transparencysnapshot",
                        "ordering": ["program", "-published_on"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("program", "published_on"), name="one_transparency_snapshot_a_day"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="TransparencyRelease",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("computed_at", models.DateTimeField(help_text="The records as they stood at this time.")),
                        (
                            "artists_changed",
                            models.PositiveIntegerField(
                                help_text="Artists with a change since the previous release (empty: the first release).",
                                null=True,
                            ),
                        ),
                        ("data", models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="transparency_releases",
                                to="programs.program",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "programs_transparencyrelease",
                        "ordering": ["program", "-computed_at"],
                        "get_latest_by": "computed_at",
                        "indexes": [models.Index(fields=["program", "-computed_at"], name="transparency_release_latest")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_permissions, move_permissions_back),
    ]
