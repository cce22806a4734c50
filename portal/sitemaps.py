from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programs.models import Program
from transparency.models import TransparencySnapshot


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["home", "programs:list", "submissions:gallery", "submissions:verify"]

    def location(self, item: str) -> str:
        return reverse(item)


class ProgramSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Program.objects.public()

    def location(self, program: Program) -> str:
        return reverse("programs:detail", args=[program.slug])


class TransparencySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Program.objects.public()

    def location(self, program: Program) -> str:
        return reverse("transparency:report", args=[program.slug])


class SnapshotSitemap(Sitemap):
    changefreq = "never"  # a published snapshot is immutable

    def items(self):
        return TransparencySnapshot.objects.filter(program__in=Program.objects.public()).select_related("program")

    def location(self, snapshot: TransparencySnapshot) -> str:
        return reverse("transparency:snapshot", args=[snapshot.program.slug, snapshot.published_on])

    def lastmod(self, snapshot: TransparencySnapshot):
        return snapshot.created_at


class GallerySitemap(Sitemap):
    """Published videos: public by the artist's choice, after an approval."""

    changefreq = "weekly"

    def items(self):
        from submissions.services.approvals import published_videos

        return published_videos().order_by("pk")

    def location(self, video) -> str:
        return reverse("submissions:gallery_video", args=[video.public_id])


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "programs": ProgramSitemap,
    "transparency": TransparencySitemap,
    "snapshots": SnapshotSitemap,
    "gallery": GallerySitemap,
}
