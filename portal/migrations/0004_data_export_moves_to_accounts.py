from django.db import migrations


def content_type_follows(apps, schema_editor):
    """Permissions and admin log entries of data exports keep pointing at the model under its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="accounts", model="dataexport").exists():
        ContentType.objects.filter(app_label="portal", model="dataexport").update(app_label="accounts")


def content_type_returns(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="portal", model="dataexport").exists():
        ContentType.objects.filter(app_label="accounts", model="dataexport").update(app_label="portal")


class Migration(migrations.Migration):
    """DataExport now belongs to accounts (accounts 0001 took it over with its table); only Django's picture of
    portal changes here, the table stays."""

    dependencies = [
        ("portal", "0003_credit_anonymous"),
        ("accounts", "0001_data_export_from_portal"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="dataexport", name="portal_data_status_ac9459_idx"),
                migrations.RemoveConstraint(model_name="dataexport", name="one_export_under_way"),
                migrations.RemoveConstraint(model_name="dataexport", name="export_progress_percent"),
                migrations.RemoveConstraint(model_name="dataexport", name="ready_export_has_file_and_expiry"),
                migrations.DeleteModel(name="DataExport"),
            ]
        ),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
