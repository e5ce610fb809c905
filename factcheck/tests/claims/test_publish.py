"""Publishing a reviewed claim to its public page, taking it off again, and what the public may see."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from factcheck.models import Claim, ClaimLink, Comment, EditConflict

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def claim(make_claim):
    claim = make_claim("The army is loyal to the president", "The army is loyal.")
    claim.verdict, claim.verdict_note = Claim.Verdict.MISLEADING, "Only some generals."
    claim.save()
    return claim


@pytest.fixture
def published(claim, editor):
    claim.publish(by=editor, seen_version=claim.version)
    return claim


def publish_url(claim):
    return reverse("claim_publish", args=[claim.pk])


def unpublish_url(claim):
    return reverse("claim_unpublish", args=[claim.pk])


def public_url(claim):
    return reverse("claim_review_public", args=[claim.pk])


def version(claim):
    return {"version": Claim.objects.get(pk=claim.pk).version}


def stored(claim):
    return Claim.objects.select_related("published_by").get(pk=claim.pk)


def test_an_editor_publishes_a_review_and_goes_back_to_the_claim(client, editor, claim):
    client.force_login(editor)
    response = client.post(publish_url(claim), version(claim))
    assert response.status_code == 303
    assert response["Location"] == claim.get_absolute_url()
    saved = stored(claim)
    assert saved.published_at is not None
    assert saved.published_by == editor
    assert saved.version == claim.version + 1
    html = client.get(response["Location"]).content.decode()
    assert "Review published." in html
    assert f'<a href="{public_url(claim)}">the public review page</a>' in html
    assert "Unpublish the review" in html
    record = saved.history.first()
    assert (record.history_user, record.published_by_id) == (editor, editor.pk)


def test_publishing_with_htmx_answers_with_the_summary(client, editor, claim):
    client.force_login(editor)
    response = client.post(publish_url(claim), version(claim), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="summary"')
    assert "Review published." in html
    assert f'<a href="{public_url(claim)}">the public review page</a>' in html
    assert f'value="{stored(claim).version}"' in html
    assert stored(claim).published_at is not None


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_editor_unpublishes_a_review(client, editor, published, htmx):
    client.force_login(editor)
    response = client.post(unpublish_url(published), version(published), **({"headers": HTMX} if htmx else {}))
    html = client.get(published.get_absolute_url()).content.decode() if not htmx else response.content.decode()
    assert response.status_code == (200 if htmx else 303)
    assert "Review taken off its public page." in html
    assert "Not published: only the newsroom sees this review." in html
    assert "Publish the review" in html
    saved = stored(published)
    assert (saved.published_at, saved.published_by) == (None, None)
    assert Client().get(public_url(published)).status_code == 404


def test_anyone_may_read_a_published_review(published):
    response = Client().get(public_url(published))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The army is loyal." in html
    assert "Verdict: Misleading" in html
    assert "Only some generals." in html
    assert '<blockquote class="in-context">The army is loyal to the president</blockquote>' in html
    assert "A minister" in html


def test_the_public_page_shows_nothing_else_of_the_newsroom(published, editor, make_claim):
    other = make_claim("Opposition leaders said the army is not loyal", "The army is not loyal.")
    published.link(other, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Secret reasoning.")
    Comment.objects.create(claim=published, body="An internal remark.", author=editor)
    html = Client().get(public_url(published)).content.decode()
    for private in (
        "The army is not loyal.",
        "Secret reasoning.",
        "An internal remark.",
        "editor",
        "Eda",
        "Caracas",
        "Opposition leaders",
        "Log out",
        "csrfmiddlewaretoken",
        "/claims/",
    ):
        assert private not in html


@pytest.mark.parametrize("state", ["unreviewed", "reviewed", "unpublished"])
def test_the_public_page_of_an_unpublished_claim_is_not_found(claim, editor, make_claim, state):
    if state == "unreviewed":
        claim = make_claim("Opposition leaders said the army is not loyal")
    if state == "unpublished":
        claim.publish(by=editor, seen_version=claim.version)
        claim.unpublish(by=editor, seen_version=claim.version)
    assert Client().get(public_url(claim)).status_code == 404
    assert Client().get(reverse("claim_review_public", args=[2_000_000_000])).status_code == 404


def test_the_list_of_reviews_shows_only_published_ones(published, make_claim):
    unpublished = make_claim("Opposition leaders said the army is not loyal", "Not published claim.")
    Claim.objects.filter(pk=unpublished.pk).update(verdict=Claim.Verdict.FALSE)
    response = Client().get(reverse("review_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{public_url(published)}">The army is loyal.</a>' in html
    assert "1 published review," in html
    assert "Not published claim." not in html


def test_the_claim_page_offers_publishing_to_editors_only(client, editor, viewer, claim):
    client.force_login(editor)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert f'action="{publish_url(claim)}"' in html
    assert "Not published: only the newsroom sees this review." in html
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Publish the review" not in html
    assert "Not published: only the newsroom sees this review." in html


def test_an_unreviewed_claim_offers_no_publishing(client, editor, make_claim):
    claim = make_claim("Opposition leaders said the army is not loyal")
    client.force_login(editor)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Publish the review" not in html
    assert "Give this claim a verdict to publish its review." in html


def test_a_viewer_sees_the_public_link_of_a_published_review(client, viewer, published):
    client.force_login(viewer)
    html = client.get(published.get_absolute_url()).content.decode()
    assert f'<a href="{public_url(published)}">the public review page</a>' in html
    assert "Unpublish the review" not in html


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_publishing_an_unreviewed_claim_is_refused(client, editor, make_claim, htmx):
    claim = make_claim("Opposition leaders said the army is not loyal")
    client.force_login(editor)
    response = client.post(publish_url(claim), version(claim), **({"headers": HTMX} if htmx else {}))
    message = "An unreviewed claim has nothing to publish: give it a verdict first."
    if htmx:
        assert response.status_code == 409
        assert message in response.content.decode()
    else:
        assert response.status_code == 303
        assert message in client.get(response["Location"]).content.decode()
    assert stored(claim).published_at is None


def test_the_model_refuses_to_publish_an_unreviewed_claim(make_claim, editor):
    claim = make_claim("Opposition leaders said the army is not loyal")
    with pytest.raises(ValidationError, match="An unreviewed claim has nothing to publish"):
        claim.publish(by=editor, seen_version=claim.version)
    assert stored(claim).published_at is None


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_stale_page_gets_the_conflict_message(client, editor, claim, htmx):
    seen = version(claim)
    Claim.objects.filter(pk=claim.pk).update(version=claim.version + 1, verdict=Claim.Verdict.ACCURATE)
    client.force_login(editor)
    response = client.post(publish_url(claim), seen, **({"headers": HTMX} if htmx else {}))
    message = "Someone changed this claim since you opened it: check it below, then decide again."
    if htmx:
        assert response.status_code == 409
        html = response.content.decode()
        assert "Verdict: Accurate" in html  # what the colleague saved, to decide on
        assert f'value="{claim.version + 1}"' in html
    else:
        html = client.get(response["Location"]).content.decode()
    assert message in html
    assert stored(claim).published_at is None


def test_a_colleague_publishing_first_is_named(client, editor, claim):
    seen = version(claim)
    claim.publish(by=editor, seen_version=claim.version)
    client.force_login(editor)
    response = client.post(publish_url(claim), seen, headers=HTMX)
    assert response.status_code == 409
    assert "A colleague has just published this review." in response.content.decode()


def test_the_model_refuses_a_stale_version(claim, editor):
    with pytest.raises(EditConflict):
        claim.publish(by=editor, seen_version=claim.version - 1)
    stale = Claim.objects.get(pk=claim.pk)
    Claim.objects.filter(pk=claim.pk).update(version=claim.version + 1)
    with pytest.raises(EditConflict):
        stale.publish(by=editor, seen_version=stale.version)
    assert stored(claim).published_at is None


@pytest.mark.parametrize("data", [{}, {"version": "abc"}], ids=["no version", "bad version"])
def test_a_form_without_its_version_is_refused(client, editor, claim, data):
    client.force_login(editor)
    response = client.post(publish_url(claim), data, headers=HTMX)
    assert response.status_code == 422
    assert "This form lacks the version you started from" in response.content.decode()
    assert stored(claim).published_at is None


@pytest.mark.parametrize("url", [publish_url, unpublish_url], ids=["publish", "unpublish"])
def test_a_viewer_may_not_publish_or_unpublish(client, viewer, published, url):
    client.force_login(viewer)
    assert client.post(url(published), version(published)).status_code == 403
    assert client.post(url(published), version(published), headers=HTMX).status_code == 403
    assert stored(published).published_at is not None


def test_an_anonymous_user_may_not_publish(claim):
    response = Client().post(publish_url(claim), version(claim))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert stored(claim).published_at is None


def test_publishing_needs_a_post_with_a_csrf_token(editor, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(publish_url(claim)).status_code == 405
    assert client.post(publish_url(claim), version(claim)).status_code == 403
    assert client.post(publish_url(claim), version(claim), headers=HTMX).status_code == 403
    assert stored(claim).published_at is None


def test_clearing_the_verdict_of_a_published_claim_shows_the_rule(client, editor, published):
    client.force_login(editor)
    data = {"statement": "The army is loyal.", "verdict": "unreviewed", "verdict_note": "", **version(published)}
    response = client.post(reverse("claim_edit", args=[published.pk]), data)
    assert response.status_code == 409
    assert "A published claim keeps a verdict: unpublish it before clearing its verdict." in response.content.decode()
    assert stored(published).verdict == Claim.Verdict.MISLEADING


def test_public_page_query_count_does_not_grow_with_the_data(published, grow_corpus, fixed_queries):
    client = Client()

    def grow():
        grow_corpus(count=10, claim=published)
        for other in Claim.objects.filter(statement__startswith="Grown")[:5]:
            published.link(other, ClaimLink.Kind.REPEATS)

    assert fixed_queries(lambda: client.get(public_url(published)), grow) == 3


def test_review_list_query_count_does_not_grow_with_the_data(published, editor, grow_corpus, fixed_queries):
    def grow():
        grow_corpus(count=10)
        # Those with a rating: an unreviewed claim, or one not checkable, has none to publish.
        for claim in Claim.objects.exclude(verdict__in=[Claim.Verdict.UNREVIEWED, Claim.Verdict.NOT_CHECKABLE]):
            if not claim.is_published:
                claim.publish(by=editor, seen_version=claim.version)

    assert fixed_queries(lambda: Client().get(reverse("review_list")), grow) == 2


@pytest.mark.parametrize("is_published, count", [(True, 10), (False, 11)], ids=["published", "unpublished"])
def test_claim_page_of_a_reviewed_claim_query_count_does_not_grow(
    client, editor, claim, grow_corpus, fixed_queries, is_published, count
):
    """The ClaimReview costs the articles repeating the claim, and for an unpublished review its verdict's date."""
    if is_published:
        claim.publish(by=editor, seen_version=claim.version)
    client.force_login(editor)

    def grow():
        grow_corpus(count=10, claim=claim)
        for other in Claim.objects.filter(statement__startswith="Grown")[:5]:
            claim.link(other, ClaimLink.Kind.REPEATS)

    assert (
        fixed_queries(lambda: client.get(claim.get_absolute_url()), grow) == count + 2 + 3 + 1
    )  # + the chain, + the corroboration, + the tags


def test_publishing_with_htmx_query_count_does_not_grow(client, editor, claim, grow_corpus, fixed_queries):
    """Publishing and unpublishing, in turn (with two queries of the test's own for the version)."""
    client.force_login(editor)

    def toggle():
        url = unpublish_url if stored(claim).is_published else publish_url
        return client.post(url(claim), version(claim), headers=HTMX)

    assert fixed_queries(toggle, lambda: grow_corpus(claim=claim)) == 18


def test_a_claim_deleted_meanwhile_is_not_brought_back(claim, editor):
    Claim.objects.filter(pk=claim.pk).delete()
    with pytest.raises(Claim.DoesNotExist):
        claim.publish(by=editor, seen_version=claim.version)
    assert not Claim.objects.filter(pk=claim.pk).exists()
