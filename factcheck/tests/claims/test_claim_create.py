import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from factcheck.models import Article, Claim, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
QUOTE = "The army is loyal to the president"


@pytest.fixture
def url(article):
    return reverse("claim_create", args=[article.pk])


def new_claim(**fields):
    return {
        "quote": QUOTE,
        "quote_start": "",
        "statement": "The army backs the president.",
        "speaker_name": "A minister (Government body)",
        "new_speaker_kind": "person",
        "claimed_on": "2019-05-01",
        **fields,
    }


def test_new_claim_page_shows_the_form(client, editor, article, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "New claim in “Army loyal?”" in html
    assert 'id="claim-form-region"' in html
    assert f'hx-post="{url}"' in html


def test_a_claim_from_a_selection_is_saved_at_its_offset(client, editor, article, speaker, url):
    client.force_login(editor)
    start = article.body.index(QUOTE)
    response = client.post(url, new_claim(quote_start=start))
    claim = Claim.objects.get()
    assert response["Location"] == f"/articles/{article.pk}/#claim-{claim.pk}"
    assert (claim.quote, claim.quote_start, claim.quote_end) == (QUOTE, start, start + len(QUOTE))
    assert claim.statement == "The army backs the president."
    assert claim.speaker == speaker
    assert str(claim.claimed_on) == "2019-05-01"
    assert claim.created_by == editor
    assert claim.verdict == Claim.Verdict.UNREVIEWED
    assert client.get(response["Location"]).content.decode().count("Claim added.") == 1


def test_adding_a_claim_without_htmx_answers_303_see_other(client, editor, url):
    client.force_login(editor)
    assert client.post(url, new_claim()).status_code == 303


def test_a_selection_picks_which_of_two_equal_passages_is_meant(client, editor, article, url):
    client.force_login(editor)
    second = article.body.index("army is", article.body.index("army is") + 1)
    client.post(url, new_claim(quote="army is", quote_start=second))
    assert Claim.objects.get().quote_start == second


def test_a_pasted_quote_without_an_offset_is_found_in_the_text(client, editor, article, url):
    client.force_login(editor)
    client.post(url, new_claim(quote="  Opposition leaders said\n"))
    claim = Claim.objects.get()
    assert claim.quote == "Opposition leaders said"
    assert claim.quote_start == article.body.index("Opposition leaders said")


def test_an_offset_that_no_longer_fits_the_quote_falls_back_to_finding_it(client, editor, article, url):
    client.force_login(editor)
    client.post(url, new_claim(quote_start=3))
    assert Claim.objects.get().quote_start == article.body.index(QUOTE)


@pytest.mark.parametrize("kind", ["person", "anonymous", "organisation"])
def test_a_new_speaker_name_creates_a_source_of_the_chosen_kind(client, editor, speaker, url, kind):
    client.force_login(editor)
    client.post(url, new_claim(speaker_name="  Diosdado   Cabello ", new_speaker_kind=kind))
    source = Source.objects.exclude(pk=speaker.pk).get()
    assert (source.name, source.kind, source.created_by) == ("Diosdado Cabello", kind, editor)
    assert Claim.objects.get().speaker == source


def test_an_existing_speaker_label_picks_that_source(client, editor, speaker, url):
    namesake = Source.objects.create(name="A minister", kind=Source.Kind.PERSON)
    client.force_login(editor)
    client.post(url, new_claim(speaker_name="A minister (Person)", new_speaker_kind="anonymous"))
    assert Claim.objects.get().speaker == namesake
    assert Source.objects.count() == 2


def test_an_existing_speaker_name_typed_plainly_picks_that_source(client, editor, speaker, url):
    client.force_login(editor)
    client.post(url, new_claim(speaker_name="a MINISTER"))
    assert Claim.objects.get().speaker == speaker
    assert Source.objects.count() == 1


def test_a_name_shared_by_two_kinds_does_not_crash_or_duplicate_a_source(client, editor, speaker, url):
    Source.objects.create(name="A minister", kind=Source.Kind.PERSON)
    client.force_login(editor)
    response = client.post(url, new_claim(speaker_name="A minister", new_speaker_kind="person"))
    assert response.status_code in (303, 422)
    assert Source.objects.count() == 2


def test_adding_a_claim_with_htmx_answers_with_the_fresh_workspace(client, editor, article, url):
    client.force_login(editor)
    response = client.post(url, new_claim(), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    claim = Claim.objects.get()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="workspace"')
    assert 'id="claim-form-region"' in html
    assert "Claims in this article (1)" in html
    assert f'<a href="/claims/{claim.pk}/" data-autofocus>' in html
    assert "Claim added." in html
    assert f'data-claim="{claim.pk}">{QUOTE}</mark>' in html
    assert "The army backs the president." in html
    assert "errorlist" not in html


BAD_INPUT = {
    "empty statement": ({"statement": "  "}, "statement", "This field is required."),
    "empty speaker": ({"speaker_name": ""}, "speaker_name", "This field is required."),
    "quote not in the article": ({"quote": "The army is disloyal"}, "quote", "does not appear in the article"),
    "quote twice without offset": ({"quote": "army is"}, "quote", "appears 2 times in the article"),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("change, field, message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_shows_the_form_again_with_a_clear_message(
    client, editor, speaker, url, change, field, message, htmx
):
    client.force_login(editor)
    options = {"headers": HTMX} if htmx else {}
    response = client.post(url, new_claim(**{"speaker_name": "Somebody New", **change}), **options)
    assert response.status_code == 422
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    assert 'id="claim-form-region"' in html
    assert "Please correct the errors below." in html
    assert response.context["form"].has_error(field)
    assert message in html
    assert Claim.objects.count() == 0
    assert list(Source.objects.all()) == [speaker]


def test_bad_input_keeps_what_was_typed(client, editor, url):
    client.force_login(editor)
    html = client.post(url, new_claim(statement="", speaker_name="Somebody New")).content.decode()
    assert f">\n{QUOTE}</textarea>" in html
    assert 'value="Somebody New"' in html


def test_a_viewer_may_not_add_a_claim(client, viewer, url):
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, new_claim(speaker_name="Somebody New")).status_code == 403
    assert client.post(url, new_claim(), headers=HTMX).status_code == 403
    assert Claim.objects.count() == 0
    assert not Source.objects.filter(name="Somebody New").exists()


def test_an_anonymous_user_is_sent_to_log_in(client, url):
    response = client.post(url, new_claim())
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"
    assert Claim.objects.count() == 0


def test_a_post_without_csrf_token_is_refused(editor, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(url, new_claim()).status_code == 403
    assert client.post(url, new_claim(), headers=HTMX).status_code == 403
    assert Claim.objects.count() == 0


def test_the_csrf_token_the_page_gives_htmx_is_accepted(editor, article, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    token = page.split('hx-headers=\'{"x-csrftoken": "', 1)[1].split('"', 1)[0]
    response = client.post(url, new_claim(), headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert Claim.objects.count() == 1


def test_an_unknown_article_is_not_found(client, editor):
    client.force_login(editor)
    assert client.post(reverse("claim_create", args=[2_000_000_000]), new_claim()).status_code == 404


def test_new_claim_form_query_count_does_not_grow_with_the_data(
    client, editor, article, url, grow_corpus, fixed_queries
):
    client.force_login(editor)
    assert fixed_queries(lambda: client.get(url), lambda: grow_corpus(article=article)) == 5


def test_adding_a_claim_with_htmx_query_count_does_not_grow_with_the_data(
    client, editor, article, url, grow_corpus, fixed_queries
):
    client.force_login(editor)
    count = fixed_queries(
        lambda: client.post(url, new_claim(), headers=HTMX), lambda: grow_corpus(article=article, speaker=None)
    )
    assert count == 27  # with the claim's number, the article's next


def test_bad_input_with_htmx_query_count_does_not_grow_with_the_data(
    client, editor, article, url, grow_corpus, fixed_queries
):
    client.force_login(editor)
    count = fixed_queries(
        lambda: client.post(url, new_claim(quote="nowhere"), headers=HTMX),
        lambda: grow_corpus(article=article),
        status=422,
    )
    assert count == 10


def test_a_user_who_may_not_add_sources_must_pick_a_known_one(client, url, speaker):
    clerk = User.objects.create_user("clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="add_claim"))
    client.force_login(clerk)
    response = client.post(url, new_claim(speaker_name="Somebody New"))
    assert response.status_code == 422
    assert "You may not add new sources: pick a known one." in response.content.decode()
    assert Claim.objects.count() == 0
    client.post(url, new_claim())
    assert Claim.objects.get().speaker == speaker


def test_a_two_line_quote_pasted_without_javascript_is_found_as_the_browser_sends_it(client, editor, speaker):
    article = Article.objects.create(title="Two lines", body="The general spoke.\nThe army is split.\nHe left.\n")
    client.force_login(editor)
    response = client.post(
        reverse("claim_create", args=[article.pk]),
        new_claim(quote="The general spoke.\r\nThe army is split.", speaker_name=speaker.name),
    )
    assert response.status_code == 303
    claim = Claim.objects.get(article=article)
    assert (claim.quote, claim.quote_start) == ("The general spoke.\nThe army is split.", 0)
