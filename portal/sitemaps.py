from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programs.models import Program


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["home", "programs:list"]

    def location(self, item: str) -> str:
        return reverse(item)


class ProgramSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Program.objects.public()

    def location(self, program: Program) -> str:
        return reverse("programs:detail", args=[program.slug])


SITEMAPS = {"pages": StaticPagesSitemap, "programs": ProgramSitemap}
