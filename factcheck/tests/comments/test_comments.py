import re

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from factcheck.models import ClaimLink, Comment

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def claim(make_claim):
    return make_claim("The army is loyal to the president", "The army is loyal.")


@pytest.fixture
def link(claim, make_claim, editor):
    other = make_claim("the army is not loyal", "The army is not loyal.")
    return claim.link(other, "contradicts", by=editor, reason="Loyal or not?")


@pytest.fixture(params=["claim", "link"])
def target(request, claim, link):
    """What is discussed: a claim, or a link between two claims."""
    return {"claim": claim, "link": link}[request.param]


def post_url(target):
    name = "link_comment_create" if isinstance(target, ClaimLink) else "claim_comment_create"
    return reverse(name, args=[target.pk])


def on(target):
    """The comment's foreign key to its target, as keyword arguments."""
    return {"link" if isinstance(target, ClaimLink) else "claim": target}


def test_posting_with_htmx_answers_with_the_fresh_discussion(client, editor, target):
    client.force_login(editor)
    response = client.post(post_url(target), {"body": "  Which minister said it?  "}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="discussion" class="discussion"')
    comment = Comment.objects.get()
    assert (comment.body, comment.author, comment.claim, comment.link) == (
        "Which minister said it?",
        editor,
        on(target).get("claim"),
        on(target).get("link"),
    )
    assert "Discussion (1)" in html
    assert f'<li class="card comment" id="comment-{comment.pk}">' in html
    assert '<p class="comment-body">Which minister said it?</p>' in html
    assert "<strong>Eda</strong>, <time datetime=" in html
    assert f'<time datetime="{comment.created_at.isoformat()}">' in html
    assert "No comments yet." not in html
    # The form is emptied for the next comment.
    assert '<textarea name="body" cols="40" rows="3" maxlength="5000" required id="id_body">\n</textarea>' in html


def test_posting_without_htmx_goes_back_to_the_discussion(client, editor, target):
    client.force_login(editor)
    response = client.post(post_url(target), {"body": "Which minister said it?"})
    assert response.status_code == 303
    assert response["Location"] == f"{target.get_absolute_url()}#discussion"
    html = client.get(response["Location"]).content.decode()
    assert "Comment posted." in html
    assert '<p class="comment-body">Which minister said it?</p>' in html
    assert Comment.objects.filter(**on(target), author=editor).count() == 1


@pytest.mark.parametrize("body", ["", "   \n  "], ids=["empty", "blank"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_empty_comment_is_refused_and_nothing_saved(client, editor, target, body, htmx):
    client.force_login(editor)
    response = client.post(post_url(target), {"body": body}, headers=HTMX if htmx else {})
    assert response.status_code == 422
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    assert 'id="discussion"' in html
    assert "This field is required." in html
    if not htmx:
        assert "<h1>Your comment could not be posted</h1>" in html
        assert f'<a href="{target.get_absolute_url()}">Back</a>' in html
    assert Comment.objects.count() == 0


def test_a_comment_too_long_is_refused(client, editor, target):
    client.force_login(editor)
    response = client.post(post_url(target), {"body": "x" * 5001}, headers=HTMX)
    assert response.status_code == 422
    assert "Ensure this value has at most 5000 characters (it has 5001)." in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_viewer_may_not_comment(client, viewer, target):
    client.force_login(viewer)
    assert client.post(post_url(target), {"body": "Me too."}).status_code == 403
    assert client.post(post_url(target), {"body": "Me too."}, headers=HTMX).status_code == 403
    assert Comment.objects.count() == 0


def test_a_viewer_sees_the_discussion_but_no_comment_form(client, viewer, editor, target):
    Comment.objects.create(**on(target), author=editor, body="Which minister?")
    client.force_login(viewer)
    html = client.get(target.get_absolute_url()).content.decode()
    assert '<p class="comment-body">Which minister?</p>' in html
    assert post_url(target) not in html


def test_an_anonymous_user_is_sent_to_log_in(client, target):
    url = post_url(target)
    response = client.post(url, {"body": "Hello"})
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"
    assert Comment.objects.count() == 0


def test_getting_the_comment_url_is_not_allowed(client, editor, target):
    client.force_login(editor)
    assert client.get(post_url(target)).status_code == 405


def test_a_post_without_csrf_token_is_refused(editor, target):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(post_url(target), {"body": "Hello"}).status_code == 403
    assert client.post(post_url(target), {"body": "Hello"}, headers=HTMX).status_code == 403
    assert Comment.objects.count() == 0


def test_a_post_with_the_pages_csrf_token_is_accepted(editor, target):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(target.get_absolute_url()).content.decode()
    token = re.search(r'"x-csrftoken": "([^"]+)"', page)[1]
    response = client.post(post_url(target), {"body": "Hello"}, headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert Comment.objects.count() == 1


def test_an_unknown_claim_or_link_is_not_found(client, editor):
    client.force_login(editor)
    for name in ("claim_comment_create", "link_comment_create"):
        assert client.post(reverse(name, args=[2_000_000_000]), {"body": "Hello"}).status_code == 404
    assert Comment.objects.count() == 0


def test_comment_text_is_escaped(client, editor, target):
    client.force_login(editor)
    html = client.post(
        post_url(target), {"body": "<script>alert(1)</script> & <b>bold</b>\nsecond line"}, headers=HTMX
    ).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;<br>second line" in html
    assert "<script>" not in html
    page = client.get(target.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_the_page_lists_the_comments_oldest_first_with_author_and_time(client, viewer, editor, superuser, target):
    first = Comment.objects.create(**on(target), author=editor, body="Which minister?")
    second = Comment.objects.create(**on(target), author=superuser, body="The defence minister.")
    client.force_login(viewer)
    html = client.get(target.get_absolute_url()).content.decode()
    assert "Discussion (2)" in html
    assert html.index(f'id="comment-{first.pk}"') < html.index(f'id="comment-{second.pk}"')
    assert "<strong>Eda</strong>" in html
    assert "<strong>root</strong>" in html
    assert f'<time datetime="{first.created_at.isoformat()}">' in html


def test_a_page_lists_only_its_own_comments(client, viewer, editor, claim, link):
    Comment.objects.create(claim=claim, author=editor, body="On the claim.")
    Comment.objects.create(link=link, author=editor, body="On the link.")
    client.force_login(viewer)
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    link_page = client.get(link.get_absolute_url()).content.decode()
    assert "On the claim." in claim_page
    assert "On the link." not in claim_page
    assert "On the link." in link_page
    assert "On the claim." not in link_page


def test_the_claim_page_counts_the_comments_on_each_link(client, viewer, editor, claim, link):
    Comment.objects.create(link=link, author=editor, body="On the link.")
    Comment.objects.create(link=link, author=editor, body="Again.")
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert f'<a href="/links/{link.pk}/">discussion (2)</a>' in html


def test_a_comment_by_a_deleted_account_is_still_shown(client, viewer, target):
    leaver = User.objects.create_user("leaver")
    Comment.objects.create(**on(target), author=leaver, body="Before I go.")
    leaver.delete()
    client.force_login(viewer)
    response = client.get(target.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>a former member</strong>" in html
    assert '<p class="comment-body">Before I go.</p>' in html


def test_polling_the_discussion_answers_with_the_list_alone(client, viewer, editor, target):
    Comment.objects.create(**on(target), author=editor, body="Which minister?")
    client.force_login(viewer)
    response = client.get(target.get_absolute_url(), headers={**HTMX, "HX-Target": "comment-list"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="comment-list"')
    assert "Which minister?" in html
    assert "<html" not in html


# The database refuses a comment on both or on neither


def test_a_comment_on_both_a_claim_and_a_link_is_refused_by_the_database(claim, link):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(claim=claim, link=link, body="Both.")


def test_a_comment_on_nothing_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(body="Neither.")


def test_an_empty_comment_is_refused_by_the_database(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(claim=claim, body="")


def test_a_comment_on_one_claim_or_one_link_is_accepted_by_the_database(claim, link):
    Comment.objects.create(claim=claim, body="On the claim.")
    Comment.objects.create(link=link, body="On the link.")
    assert Comment.objects.count() == 2


def test_comments_go_with_their_claim_or_link(claim, link):
    Comment.objects.create(claim=claim, body="On the claim.")
    Comment.objects.create(link=link, body="On the link.")
    link.delete()
    assert list(Comment.objects.values_list("body", flat=True)) == ["On the claim."]
    claim.delete()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_posting_query_count_does_not_grow_with_the_data(client, editor, claim, htmx, fixed_queries):
    client.force_login(editor)
    headers = HTMX if htmx else {}

    def more_comments():
        for n in range(30):
            Comment.objects.create(claim=claim, author=editor, body=f"Comment {n}")

    url = post_url(claim)
    count = fixed_queries(
        lambda: client.post(url, {"body": "Hello"}, headers=headers), more_comments, 200 if htmx else 303
    )
    assert count == (12 if htmx else 10)


def test_after_posting_the_next_poll_finds_nothing_new(client, editor, target):
    client.force_login(editor)
    html = client.post(post_url(target), {"body": "Who saw it?"}, headers={"HX-Request": "true"}).content.decode()
    shown = re.search(r'id="comment-list"[^>]*hx-vals=\'\{"shown": "([0-9a-f]{16})"\}\'', html)[1]
    poll = client.get(
        target.get_absolute_url(), {"shown": shown}, headers={"HX-Request": "true", "HX-Target": "comment-list"}
    )
    assert poll.status_code == 204
