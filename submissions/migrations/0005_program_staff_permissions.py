"""The "Program staff" group (programs.0005) gets the admin permissions for compensation, transparency snapshots,
videos, review rules and records, API keys and reports.

View everywhere; add and change only where the admin offers staff a form or an action (actions need the change
permission, a ledger reversal the add permission: ledger lines are never changed or deleted). Which rows staff see
stays scoped per program by programs.admin.base.ProgramScopedAdmin. This lives in submissions because it needs
both apps' models; programs must not depend on submissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Program staff"
PERMISSIONS = {
    "programs": {
        "ratecard": ["view"],
        "credit": ["view"],
        "ledgerline": ["view", "add"],
        "timeentry": ["view", "change"],
        "timeentryevent": ["view"],
        "payoutrun": ["view", "change"],
        "payoutrunitem": ["view", "change"],
        "transparencysnapshot": ["view"],
    },
    "submissions": {
        "reviewpolicy": ["view", "add", "change"],
        "reviewstep": ["view", "add", "change"],
        "reviewergroup": ["view", "add", "change"],
        "reasoncode": ["view", "add", "change"],
        "apikey": ["view", "add", "change"],
        "programmediapolicy": ["view", "add", "change"],
        "video": ["view"],
        "videoevent": ["view"],
        "decision": ["view"],
        "appeal": ["view"],
        "bugreport": ["view", "change"],
        "feedback": ["view", "change"],
        "reportsettings": ["view", "add", "change"],
        "screenshot": ["view"],
        "metoo": ["view"],
        "bugreportevent": ["view"],
        "bugreportresponse": ["view"],
        "feedbackevent": ["view"],
        "feedbackresponse": ["view"],
    },
}


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.none()
    for app_label, models in PERMISSIONS.items():
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        found |= Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    return found


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this migration needs them now.
    for app_label in PERMISSIONS:
        app_config = apps.get_app_config(app_label)
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
    dependencies = [
        ("submissions", "0004_report_video_link"),
        ("programs", "0006_transparency_snapshot"),
    ]

    operations = [migrations.RunPython(grant, take_back)]
