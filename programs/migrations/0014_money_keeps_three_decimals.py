"""Money keeps three decimals (KWD, BHD, ...), with the same ten digits before the point.

On SQLite, altering a field rebuilds its table and loses the table's append-only trigger: it is put back after the
rebuild (in either direction). PostgreSQL keeps its triggers through ALTER COLUMN.
"""

import importlib

from django.db import migrations, models


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        importlib.import_module("programs.migrations.0003_append_only_triggers").create(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0013_agreement_languages_time_zone_currency_codes'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AlterField(
            model_name='credit',
            name='amount',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='ledgerline',
            name='amount',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='payoutrunitem',
            name='amount',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='bug_report_critical',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='bug_report_duplicate',
            field=models.DecimalField(decimal_places=3, help_text='Paid for a valid report of a known bug.', max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='bug_report_high',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='bug_report_low',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='bug_report_medium',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='feedback',
            field=models.DecimalField(decimal_places=3, help_text='Per accepted piece of feedback.', max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='hourly_rate',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='stipend_amount',
            field=models.DecimalField(decimal_places=3, max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='video_approved',
            field=models.DecimalField(decimal_places=3, help_text='Per approved video.', max_digits=13),
        ),
        migrations.AlterField(
            model_name='ratecard',
            name='video_showcased',
            field=models.DecimalField(decimal_places=3, help_text='Per video selected for the showcase.', max_digits=13),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
