"""The "Program staff" group may set up their programs' studios and style presets and see the jobs (the admin
scopes the rows to their programs); the models themselves are shared by every program: superusers only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Program staff"
PERMISSIONS = {
    "studiosettings": ["view", "add", "change"],
    "stylepreset": ["view", "add", "change", "delete"],
    "generationmodel": ["view"],
    "generationjob": ["view"],
    "generationjobevent": ["view"],
}


def _permissions(apps):
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    return apps.get_model("auth", "Permission").objects.filter(content_type__app_label="studio", codename__in=codenames)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("studio")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def take_back(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("studio", "0001_initial"), ("programs", "0005_program_staff_group")]

    operations = [migrations.RunPython(grant, take_back)]
