"""The "Program staff" group may set up their programs' grant rounds and events in the admin (rows scoped to their
programs) and see applications, milestones and RSVPs; decisions, payments and attendance go through the staff pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Program staff"
PERMISSIONS = {
    "grantround": ["view", "add", "change"],
    "grantapplication": ["view"],
    "grantmilestone": ["view"],
    "grantapplicationevent": ["view"],
    "event": ["view", "add", "change"],
    "rsvp": ["view"],
    "rsvpevent": ["view"],
}


def _permissions(apps):
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    return apps.get_model("auth", "Permission").objects.filter(content_type__app_label="calls", codename__in=codenames)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("calls")
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
    dependencies = [("calls", "0002_grants_and_events"), ("programs", "0005_program_staff_group")]

    operations = [migrations.RunPython(grant, take_back)]
