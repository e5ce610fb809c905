"""The error pages as production shows them (DEBUG off): a 403 and a 404 in the site's look, with its menu and a
way back; a 500 page that renders without a request, a database or a template tag; and the icon browsers ask for
at /favicon.ico."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from factcheck.models import Article

pytestmark = pytest.mark.django_db

MENU = '<nav aria-label="Main">'


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def assert_in_the_sites_look(html):
    assert html.startswith("<!doctype html>")
    assert 'href="/static/css/site.css"' in html
    assert '<a class="brand" href="/">factcheck</a>' in html


def test_a_viewer_refused_a_change_gets_the_403_page_with_the_menu_and_a_way_back(client, viewer, article):
    client.force_login(viewer)
    response = client.get(reverse("article_edit", args=[article.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_the_sites_look(html)
    assert MENU in html and '<a href="/stories/">Stories</a>' in html and '<a href="/my/work">My work</a>' in html
    assert "<title>Not allowed · factcheck</title>" in html
    assert "<h1>You may not do this</h1>" in html
    assert '<a href="/">Back to the home page</a>' in html
    assert "(read only)" in html


def test_a_viewer_refused_a_change_by_post_gets_the_403_page_too(client, viewer, article):
    client.force_login(viewer)
    response = client.post(reverse("claim_create", args=[article.pk]), {})
    assert response.status_code == 403
    assert "<h1>You may not do this</h1>" in response.content.decode()
    assert not article.claims.exists()


def test_a_deleted_article_gets_the_404_page_with_the_menu_and_a_way_back(client, viewer):
    client.force_login(viewer)
    gone = Article.objects.create(title="Gone", body="Soon deleted.\n")
    url = gone.get_absolute_url()
    gone.delete()
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_the_sites_look(html)
    assert MENU in html
    assert "<title>Not found · factcheck</title>" in html
    assert "<h1>Nothing here</h1>" in html
    assert '<a href="/">Back to the home page</a>' in html
    assert '<a href="/search/">Search the articles, claims and sources</a>' in html


def test_an_unknown_address_gets_the_404_page_with_the_menu(client, viewer):
    client.force_login(viewer)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_the_sites_look(html)
    assert MENU in html and "<h1>Nothing here</h1>" in html
    assert 'aria-current="page"' not in html


def test_an_unknown_address_tells_a_visitor_who_is_not_logged_in_where_to_log_in(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_the_sites_look(html)
    assert MENU not in html
    assert '<a href="/login/">Log in</a>' in html


def test_the_500_page_renders_with_no_context_and_holds_no_template_logic():
    source = (Path(django_settings.BASE_DIR) / "templates" / "500.html").read_text(encoding="utf-8")
    assert "{%" not in source and "{{" not in source
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert_in_the_sites_look(html)
    assert "<h1>Something went wrong on our side</h1>" in html
    assert '<a href="/">Back to the home page</a>' in html


def test_the_stylesheet_the_500_page_names_is_the_sites():
    assert static("css/site.css") == "/static/css/site.css"
    assert finders.find("css/site.css")


def test_favicon_ico_sends_anyone_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert finders.find("favicon.svg")


def test_favicon_ico_changes_nothing(client):
    assert client.post("/favicon.ico").status_code == 405
