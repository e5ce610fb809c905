"""A published claim edited in the admin: its verdict cannot be cleared there either, and the admin says so."""

import pytest
from django.urls import reverse

from factcheck.models import Claim
from factcheck.tests.history.test_admin_versions import admin_form, ana, as_user  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_claim, editor):
    claim = make_claim("The army is loyal to the president", "The army is loyal.")
    claim.verdict = Claim.Verdict.FALSE
    claim.save()
    claim.publish(by=editor, seen_version=claim.version)
    return Claim.objects.get(pk=claim.pk)


def test_clearing_a_published_claims_verdict_in_the_admin_is_refused_with_the_reason(published, ana):  # noqa: F811
    client = as_user(ana)
    url = reverse("admin:factcheck_claim_change", args=[published.pk])
    data = admin_form(client, url) | {"verdict": "unreviewed"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A published claim keeps a verdict: unpublish it before clearing its verdict." in response.content.decode()
    claim = Claim.objects.get(pk=published.pk)
    assert (claim.verdict, claim.version) == (Claim.Verdict.FALSE, published.version)
    assert claim.published_at is not None


def test_a_published_claims_other_fields_still_save_in_the_admin(published, ana):  # noqa: F811
    client = as_user(ana)
    url = reverse("admin:factcheck_claim_change", args=[published.pk])
    response = client.post(url, admin_form(client, url) | {"statement": "The army is loyal, a minister said."})
    assert response.status_code == 302
    claim = Claim.objects.get(pk=published.pk)
    assert claim.statement == "The army is loyal, a minister said."
    assert claim.published_at is not None
