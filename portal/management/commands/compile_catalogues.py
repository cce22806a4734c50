from django.conf import settings
from django.core.management.base import BaseCommand

from portal.catalogues import compile_all


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into the committed .mo files, without GNU gettext (portal/catalogues.py)."

    def handle(self, *args, **options) -> None:
        for locale_dir in settings.LOCALE_PATHS:
            for mo_path in compile_all(locale_dir):
                self.stdout.write(f"Compiled {mo_path}")
