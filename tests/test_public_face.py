import pytest

from tests.conftest import make_program


@pytest.mark.django_db
def test_the_sitemap_lists_public_programs_but_not_drafts(client):
    make_program(slug="open-one")
    make_program(slug="secret-draft", status="draft")
    body = client.get("/sitemap.xml").text
    assert "/programs/open-one/" in body
    assert "secret-draft" not in body
    assert "<loc>http://testserver/</loc>" in body


@pytest.mark.django_db
def test_robots_keeps_private_areas_out_and_points_at_the_sitemap(client):
    body = client.get("/robots.txt").text
    assert "Disallow: /admin/" in body and "Disallow: /me/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.django_db
def test_a_program_page_has_its_own_title_and_open_graph_tags(client):
    make_program(slug="lumen", name="Lumen <Early> Access", tagline="Shape the model")
    html = client.get("/programs/lumen/").text
    assert "<title>Lumen &lt;Early&gt; Access · Glasshouse</title>" in html
    assert '<meta property="og:title" content="Lumen &lt;Early&gt; Access">' in html
    assert '<meta property="og:description" content="Shape the model">' in html
