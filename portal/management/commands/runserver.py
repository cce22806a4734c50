"""`runserver`, which in the embedded default (no broker) also runs the scheduled jobs in-process."""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver

from portal import scheduler


class Command(StaticfilesRunserver):
    help = "Serve the portal for development; without CELERY_BROKER_URL it also runs the scheduled jobs."

    def inner_run(self, *args, **options):
        # inner_run runs in the serving process only (the autoreloader's child), so the jobs start once.
        if scheduler.start_if_embedded() is not None:
            self.stdout.write("Scheduled jobs (CELERY_BEAT_SCHEDULE) run in this process, as no broker is set.")
        super().inner_run(*args, **options)
