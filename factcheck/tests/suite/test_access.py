import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db
PUBLIC = {"login", "healthz", "favicon", "claim_review_public", "review_list"}


def project_urls(patterns=None, prefix=""):
    """Every named URL outside the admin, with 1 for any argument."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):  # the API takes a token: factcheck/tests/api/
                continue
            yield from project_urls(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            args = [1] * len(pattern.pattern.converters)
            yield pattern.name, reverse(pattern.name, args=args)


def test_every_page_but_login_and_healthz_requires_login(client):
    urls = list(project_urls())
    assert len(urls) >= 4
    for name, url in urls:
        if name in PUBLIC:
            continue
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_login_page_is_open(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'<label for="id_username">Username</label>' in response.content


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_a_demo_login_reaches_the_home_page(client, seeded):
    response = client.post(reverse("login"), {"username": "vera", "password": "factcheck-demo"}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("home")
    assert b"Contradictions" in response.content


def test_a_wrong_password_is_told_plainly(client, seeded):
    response = client.post(reverse("login"), {"username": "vera", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


@pytest.mark.parametrize("model", [Article, Claim, Source, ClaimLink])
def test_admin_pages_load_for_a_superuser(client, superuser, seeded, model):
    client.force_login(superuser)
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist + "?q=Maduro").status_code == 200
    assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 200
    obj = model.objects.first()
    response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200


def test_an_editor_can_work_in_the_admin_but_not_delete_articles(client, seeded):
    client.force_login(User.objects.get(username="ana"))
    assert client.get(reverse("admin:factcheck_claim_changelist")).status_code == 200
    article = Article.objects.first()
    assert client.get(reverse("admin:factcheck_article_delete", args=[article.pk])).status_code == 403


def test_a_viewer_cannot_reach_the_admin(client, seeded):
    client.force_login(User.objects.get(username="vera"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
