"""The admin follows the same rules as the pages: a save as a browser sends it (CRLF and all) changes
no text and moves no claim; revert works; a restore brings back everything deleted with the object."""

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Comment, Source
from factcheck.tests.page_forms import FormFields

pytestmark = pytest.mark.django_db

TEXT = "Caracas – The army is loyal to the president, a minister said.\n\nOfficers said the army is split.\n"


def as_browser_sends(client, url, textareas=("body", "quote", "statement", "verdict_note", "description")):
    """The admin form at `url` as a browser would submit it unchanged: textareas with CRLF line breaks."""
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    (form,) = [fields for form_id, fields in parser.forms.items() if form_id.endswith("_form")]
    data = {name: value for name, value in form.items() if value is not None}
    return {name: value.replace("\n", "\r\n") if name in textareas else value for name, value in data.items()}


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def article(db):
    return Article.objects.create(title="Army loyal?", body=TEXT)


@pytest.fixture
def loyal(article, make_claim):
    return make_claim("The army is loyal to the president", in_article=article)


@pytest.fixture
def split(article, make_claim):
    return make_claim("the army is split", in_article=article)


def change_url(obj):
    return reverse(f"admin:factcheck_{obj._meta.model_name}_change", args=[obj.pk])


def assert_stands(*claims):
    for claim in claims:
        claim.refresh_from_db()
        body = Article.objects.get(pk=claim.article_id).body
        assert body[claim.quote_start : claim.quote_end] == claim.quote, claim


def test_saving_an_article_in_the_admin_as_a_browser_sends_it_changes_no_text(admin_client, article, loyal, split):
    before = Article.objects.get(pk=article.pk)
    data = as_browser_sends(admin_client, change_url(article))
    assert "\r\n" in data["body"]
    response = admin_client.post(change_url(article), {**data, "author": "J. Smith"})
    assert response.status_code == 302
    after = Article.objects.get(pk=article.pk)
    assert (after.author, after.body, after.content_hash) == ("J. Smith", before.body, before.content_hash)
    assert_stands(loyal, split)


def test_after_an_admin_save_a_claim_of_the_article_can_still_be_judged(admin_client, client, editor, article, loyal):
    admin_client.post(change_url(article), {**as_browser_sends(admin_client, change_url(article)), "author": "X"})
    client.force_login(editor)
    response = client.post(
        reverse("claim_edit", args=[loyal.pk]),
        {"statement": "The army is loyal.", "verdict": "false", "verdict_note": "", "version": loyal.version},
    )
    assert response.status_code == 303
    assert Claim.objects.get(pk=loyal.pk).verdict == "false"


def test_saving_a_claim_in_the_admin_as_a_browser_sends_it_keeps_its_anchor(admin_client, loyal):
    response = admin_client.post(
        change_url(loyal), {**as_browser_sends(admin_client, change_url(loyal)), "verdict": "false"}
    )
    assert response.status_code == 302
    assert_stands(loyal)
    assert loyal.verdict == "false"


def test_a_change_of_the_text_in_the_admin_is_shown_then_saved_with_claims_moved(admin_client, article, loyal, split):
    data = as_browser_sends(admin_client, change_url(article))
    data["body"] = "Update: " + data["body"].replace("the army is split", "the army is divided")
    first = admin_client.post(change_url(article), data)
    assert first.status_code == 200
    html = first.content.decode()
    assert "moves 1 claim and 1 would lose their place" in html
    assert Article.objects.get(pk=article.pk).body == TEXT
    checked = html.split('name="text_checked" value="', 1)[1].split('"', 1)[0]
    data["version"] = Article.objects.get(pk=article.pk).version
    second = admin_client.post(change_url(article), {**data, "text_checked": checked})
    assert second.status_code == 302
    assert_stands(loyal)
    split.refresh_from_db()
    assert split.is_orphaned


# Revert


def history_url(obj, record):
    return reverse(f"admin:factcheck_{obj._meta.model_name}_simple_history", args=[obj.pk, record.history_id])


@pytest.mark.parametrize("model_name", ["claim", "source", "article"])
def test_reverting_to_an_older_version_in_the_admin_works(admin_client, article, loyal, model_name):
    obj = {"claim": loyal, "source": loyal.speaker, "article": article}[model_name]
    field = {"claim": "statement", "source": "name", "article": "title"}[model_name]
    original = getattr(obj, field)
    oldest = obj.history.earliest()
    setattr(obj, field, "Changed since")
    obj.save_over(obj.version)
    response = admin_client.post(history_url(obj, oldest), {**as_browser_sends(admin_client, history_url(obj, oldest))})
    assert response.status_code == 302, response.content.decode()[:2000]
    obj.refresh_from_db()
    assert getattr(obj, field) == original
    assert obj.version == 3
    assert_stands(loyal)


def test_reverting_an_article_to_an_older_text_moves_its_claims_back(admin_client, article, loyal, split):
    oldest = article.history.earliest()
    article.body = TEXT.replace("the army is split", "the army is divided")
    article.save_over(article.version)
    split.refresh_from_db()
    assert split.is_orphaned
    data = as_browser_sends(admin_client, history_url(article, oldest))
    first = admin_client.post(history_url(article, oldest), data)
    checked = first.content.decode().split('name="text_checked" value="', 1)[1].split('"', 1)[0]
    response = admin_client.post(history_url(article, oldest), {**data, "text_checked": checked})
    assert response.status_code == 302
    assert_stands(loyal, split)


# Restore


def restore(client, obj_model, pk):
    record = obj_model.history.filter(id=pk, history_type="-").latest()
    url = reverse(f"admin:factcheck_{obj_model._meta.model_name}_simple_history", args=[pk, record.history_id])
    return client.post(url, as_browser_sends(client, url))


def test_restoring_a_deleted_article_brings_back_its_claims_links_and_comments(
    admin_client, superuser, article, loyal, split, make_claim, speaker
):
    elsewhere = Article.objects.create(title="Elsewhere", body="The army is not loyal at all.\n")
    other = make_claim("The army is not loyal", in_article=elsewhere)
    link = loyal.link(other, ClaimLink.Kind.CONTRADICTS, reason="Loyal or not")
    inside = loyal.link(split, ClaimLink.Kind.SUPPORTS)
    Comment.objects.create(claim=loyal, body="On the claim")
    Comment.objects.create(link=link, body="On the link")
    deleted_earlier = make_claim("a minister said", in_article=article)
    deleted_earlier.delete()

    response = admin_client.post(reverse("admin:factcheck_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(article_id=article.pk).exists()

    response = restore(admin_client, Article, article.pk)

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).body == TEXT
    assert set(Claim.objects.filter(article_id=article.pk).values_list("pk", flat=True)) == {loyal.pk, split.pk}
    assert set(ClaimLink.objects.values_list("pk", flat=True)) == {link.pk, inside.pk}
    assert set(Comment.objects.values_list("body", flat=True)) == {"On the claim", "On the link"}
    assert_stands(loyal, split)
    assert [r.history_type for r in Claim.history.filter(id=loyal.pk).order_by("history_id")] == ["+", "-", "+"]
    assert Claim.history.filter(id=loyal.pk).latest().history_user == superuser


def test_restoring_a_deleted_claim_brings_back_its_links_and_comments(admin_client, loyal, split):
    link = loyal.link(split, ClaimLink.Kind.CONTRADICTS, reason="Loyal or split")
    Comment.objects.create(link=link, body="Argued")
    Comment.objects.create(claim=loyal, body="Noted")
    admin_client.post(reverse("admin:factcheck_claim_delete", args=[loyal.pk]), {"post": "yes"})
    assert not ClaimLink.objects.exists()

    assert restore(admin_client, Claim, loyal.pk).status_code == 302

    assert ClaimLink.objects.get().pk == link.pk
    assert set(Comment.objects.values_list("body", flat=True)) == {"Argued", "Noted"}
    assert_stands(loyal)


def test_a_claim_restored_after_its_text_changed_is_orphaned_not_refused(admin_client, article, loyal, split):
    admin_client.post(reverse("admin:factcheck_claim_delete", args=[split.pk]), {"post": "yes"})
    article.body = TEXT.replace("the army is split", "the army is divided")
    article.save_over(article.version)
    assert restore(admin_client, Claim, split.pk).status_code == 302
    restored = Claim.objects.get(pk=split.pk)
    assert restored.is_orphaned


def test_restoring_a_deleted_link_brings_back_its_discussion(admin_client, loyal, split):
    link = loyal.link(split, ClaimLink.Kind.CONTRADICTS, reason="Loyal or split")
    Comment.objects.create(link=link, body="Argued")
    admin_client.post(reverse("admin:factcheck_claimlink_delete", args=[link.pk]), {"post": "yes"})
    assert restore(admin_client, ClaimLink, link.pk).status_code == 302
    assert Comment.objects.get().body == "Argued"


def test_a_source_others_are_affiliated_with_cannot_be_deleted_silently(speaker):
    outlet = Source.objects.create(name="The Daily Beast", kind=Source.Kind.OUTLET)
    speaker.affiliation = outlet
    speaker.save()
    with pytest.raises(ProtectedError):
        outlet.delete()
    speaker.refresh_from_db()
    assert speaker.affiliation == outlet


def test_a_link_added_inline_in_the_admin_is_made_by_the_one_link_rule(admin_client, superuser, loyal, split):
    data = as_browser_sends(admin_client, change_url(split))
    prefix = next(name for name in data if name.endswith("-TOTAL_FORMS") and name.startswith("links_from"))[
        : -len("-TOTAL_FORMS")
    ]
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-kind": "contradicts",
            f"{prefix}-0-to_claim": str(loyal.pk),
            f"{prefix}-0-reason": "Loyal or split",
        }
    )
    assert admin_client.post(change_url(split), data).status_code == 302
    link = ClaimLink.objects.get()
    # Stored in the canonical order of a symmetric kind, and recorded as the admin's.
    assert (link.from_claim, link.to_claim, link.created_by) == (loyal, split, superuser)
    assert link.history.get().history_user == superuser
