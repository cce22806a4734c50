"""The "Program staff" group: the admin permissions every program staff member gets.

Which records they see is scoped per program by programs.admin.base.ProgramScopedAdmin; this group only
decides which kinds of records and actions exist for them at all. programs.services.roles adds and removes
members when staff roles are granted and revoked.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Program staff"
PERMISSIONS = {
    "program": ["view", "change"],
    "cohort": ["view", "add", "change"],
    "screeningquestion": ["view", "add", "change", "delete"],
    "programrole": ["view"],
    "enrolment": ["view", "change"],
    "enrolmentevent": ["view"],
    "application": ["view", "change"],
    "applicationevent": ["view"],
    "invitation": ["view", "change"],
    "agreementversion": ["view", "add", "change", "delete"],
    "agreementacceptance": ["view"],
    "consentrecord": ["view"],
    "trustedpublisher": ["view"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this migration needs them now.
    app_config = apps.get_app_config("programs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="programs", codename__in=codenames))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_enrolment"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
