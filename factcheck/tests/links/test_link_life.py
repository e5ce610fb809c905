"""Links with a life: proposed, then confirmed or rejected (who, when, why); kind and reason changed in place,
versioned, the discussion kept; relays directed, repeats symmetric; the link page in both modes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from factcheck.models import ClaimLink, Comment, EditConflict

from .test_links import HTMX, link_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(make_claim):
    return make_claim("The army is loyal to the president", "The army is loyal.")


@pytest.fixture
def other(make_claim):
    return make_claim("army", "The army is split.")


@pytest.fixture
def link(claim, other, editor):
    return claim.link(other, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Loyal or split")


def settle_url(link):
    return reverse("link_settle", args=[link.pk])


def edit_url(link):
    return reverse("link_edit", args=[link.pk])


def summary_of(html):
    return html[html.index('id="link-summary"') : html.index("</section>", html.index('id="status-heading"'))]


# The model and the database


def test_a_new_link_is_proposed(link):
    assert (link.status, link.status_by, link.status_at, link.status_reason) == ("proposed", None, None, "")
    assert list(ClaimLink.objects.open()) == [link]


def test_a_rejection_keeps_who_when_and_why(link, editor):
    link.settle(ClaimLink.Status.REJECTED, by=editor, reason=" Different years ", seen_version=link.version)
    link.refresh_from_db()
    assert (link.status, link.status_by, link.status_reason, link.version) == ("rejected", editor, "Different years", 2)
    assert link.status_at is not None
    assert list(ClaimLink.objects.open()) == []
    assert link.history.first().history_user == editor


def test_a_rejection_without_reason_is_refused_and_changes_nothing(link, editor):
    with pytest.raises(ValidationError) as refused:
        link.settle(ClaimLink.Status.REJECTED, by=editor, reason="  ", seen_version=link.version)
    assert refused.value.message_dict == {"status_reason": ["Say why the link is rejected."]}
    link.refresh_from_db()
    assert (link.status, link.version) == ("proposed", 1)


def test_the_database_refuses_a_rejection_without_why_or_a_settlement_without_when(link):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLink.objects.filter(pk=link.pk).update(status="rejected", status_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLink.objects.filter(pk=link.pk).update(status="confirmed", status_at=None)


def test_reopening_forgets_who_settled_it(link, editor):
    link.settle(ClaimLink.Status.CONFIRMED, by=editor, reason="Checked both", seen_version=1)
    link.settle(ClaimLink.Status.PROPOSED, by=editor, seen_version=2)
    link.refresh_from_db()
    assert (link.status, link.status_by, link.status_at, link.status_reason) == ("proposed", None, None, "")
    assert [record.status for record in link.history.all()] == ["proposed", "confirmed", "proposed"]


def test_settling_over_a_colleagues_change_is_refused(link, editor):
    link.change(kind=ClaimLink.Kind.IN_TENSION, reason="Not quite", by=editor, seen_version=1)
    stale = ClaimLink.objects.get(pk=link.pk)
    stale.version = 1
    with pytest.raises(EditConflict):
        stale.settle(ClaimLink.Status.CONFIRMED, by=editor, seen_version=1)
    assert ClaimLink.objects.get(pk=link.pk).status == "proposed"


def test_changing_the_kind_keeps_the_discussion_and_proposes_it_again(link, editor):
    Comment.objects.create(link=link, body="Argued")
    link.settle(ClaimLink.Status.CONFIRMED, by=editor, seen_version=1)
    link.change(kind=ClaimLink.Kind.COMPETING, reason="Two explanations of one fact", by=editor, seen_version=2)
    link.refresh_from_db()
    assert (link.kind, link.reason, link.status, link.version) == (
        "competing",
        "Two explanations of one fact",
        "proposed",
        3,
    )
    assert [comment.body for comment in link.comments.all()] == ["Argued"]


def test_changing_only_the_reason_keeps_the_status(link, editor):
    link.settle(ClaimLink.Status.CONFIRMED, by=editor, seen_version=1)
    link.change(kind=link.kind, reason="Better said", by=editor, seen_version=2)
    link.refresh_from_db()
    assert (link.reason, link.status, link.status_by) == ("Better said", "confirmed", editor)


def test_a_disagreement_needs_its_reason(claim, other):
    for kind in ClaimLink.DISAGREEMENT_KINDS:
        with pytest.raises(ValidationError) as refused:
            claim.link(other, kind, reason=" ")
        assert "reason" in refused.value.message_dict
    assert ClaimLink.objects.count() == 0


def test_relays_keeps_its_direction_and_repeats_is_symmetric(claim, other):
    relayed = other.link(claim, ClaimLink.Kind.RELAYS)
    assert (relayed.from_claim, relayed.to_claim) == (other, claim)
    repeated = other.link(claim, ClaimLink.Kind.REPEATS)
    assert (repeated.from_claim, repeated.to_claim) == (claim, other)


def test_changing_to_a_symmetric_kind_stores_the_canonical_order(claim, other, editor):
    relayed = other.link(claim, ClaimLink.Kind.RELAYS)
    relayed.change(kind=ClaimLink.Kind.REPEATS, reason="", by=editor, seen_version=1)
    relayed.refresh_from_db()
    assert (relayed.from_claim, relayed.to_claim, relayed.kind) == (claim, other, "repeats")


def test_changing_to_a_kind_already_linked_is_refused(link, claim, other, editor):
    supports = claim.link(other, ClaimLink.Kind.SUPPORTS)
    with pytest.raises(ValidationError):
        link.change(kind=ClaimLink.Kind.SUPPORTS, reason="", by=editor, seen_version=1)
    assert ClaimLink.objects.get(pk=link.pk).kind == "contradicts"
    assert ClaimLink.objects.get(pk=supports.pk).kind == "supports"


def test_the_claim_page_groups_every_kind_both_ways(client, viewer, claim, other, make_claim):
    third = make_claim("loyal", "Loyal, says a third.")
    claim.link(other, ClaimLink.Kind.RELAYS)
    third.link(claim, ClaimLink.Kind.RELAYS)
    claim.link(third, ClaimLink.Kind.IN_TENSION, reason="Half loyal")
    groups = {key: links for key, _, links in ClaimLink.objects.involving(claim).for_list().grouped_for(claim)}
    assert list(groups) == [
        "contradicts", "in_tension", "competing", "supports", "supported_by", "relays", "relayed_by", "repeats"
    ]  # fmt: skip
    assert [link.other_claim for link in groups["relays"]] == [other]
    assert [link.other_claim for link in groups["relayed_by"]] == [third]
    assert [link.other_claim for link in groups["in_tension"]] == [third]
    client.force_login(viewer)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert '<h3 class="kind-heading kind-relayed_by">Relayed by</h3>' in html
    assert '<h3 class="kind-heading kind-in_tension">In tension with</h3>' in html
    assert html.count('<span class="status status-proposed">Proposed</span>') == 3


# The link form on the claim page


def test_the_link_form_reads_as_a_sentence_with_the_new_kinds(client, editor, claim):
    client.force_login(editor)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    for phrase in ["contradicts", "is in tension with", "offers a competing explanation to", "relays (passes on"]:
        assert f">{phrase}" in html


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_tension_without_reason_is_refused_with_what_was_chosen_kept(client, editor, claim, other, headers):
    client.force_login(editor)
    response = client.post(link_url(claim), {"to_claim": other.pk, "kind": "in_tension", "reason": ""}, headers=headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Say why these claims are in tension." in html
    assert '<option value="in_tension" selected>' in html
    assert ClaimLink.objects.count() == 0


def test_relaying_from_the_claim_page(client, editor, claim, other):
    client.force_login(editor)
    response = client.post(link_url(other), {"to_claim": claim.pk, "kind": "relays", "reason": ""}, headers=HTMX)
    assert response.status_code == 200
    assert '<h3 class="kind-heading kind-relays">Relays</h3>' in response.content.decode()
    link = ClaimLink.objects.get()
    assert (link.from_claim, link.to_claim, link.kind) == (other, claim, "relays")


# The link page: settling


def test_the_link_page_shows_a_proposed_link(client, viewer, link):
    client.force_login(viewer)
    html = client.get(link.get_absolute_url()).content.decode()
    assert '<span class="status status-proposed">Proposed</span>' in html
    assert "not yet confirmed or rejected" in html
    assert "Confirm the link" not in html  # viewers read only
    assert "Edit kind and reason" not in html


def test_confirming_without_javascript(client, editor, link):
    client.force_login(editor)
    response = client.post(settle_url(link), {"status": "confirmed", "status_reason": "", "version": 1})
    assert response.status_code == 303
    assert response["Location"] == link.get_absolute_url()
    html = client.get(response["Location"]).content.decode()
    assert "Link confirmed." in html
    assert '<span class="status status-confirmed">Confirmed</span>' in html
    assert "by editor on" in html
    assert "Re-open it" in html


def test_rejecting_with_htmx_answers_with_the_summary(client, editor, link):
    client.force_login(editor)
    data = {"status": "rejected", "status_reason": "They speak of different years", "version": 1}
    response = client.post(settle_url(link), data, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="link-summary"')
    assert '<span class="status status-rejected">Rejected</span>' in html
    assert "They speak of different years" in html
    link.refresh_from_db()
    assert (link.status, link.status_reason) == ("rejected", "They speak of different years")


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_rejection_without_reason_is_refused_on_the_page(client, editor, link, headers):
    client.force_login(editor)
    response = client.post(
        settle_url(link), {"status": "rejected", "status_reason": " ", "version": 1}, headers=headers
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Say why the link is rejected." in html
    assert ("<html" in html) == (not headers)
    link.refresh_from_db()
    assert (link.status, link.version) == ("proposed", 1)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_settling_over_a_colleagues_change_keeps_what_was_typed(client, editor, link, headers):
    link.settle(ClaimLink.Status.CONFIRMED, by=editor, reason="Checked", seen_version=1)
    client.force_login(editor)
    data = {"status": "rejected", "status_reason": "My careful reason", "version": 1}
    response = client.post(settle_url(link), data, headers=headers)
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed this link while you were deciding" in html
    assert "My careful reason" in html
    assert 'name="version" value="2"' in html
    link.refresh_from_db()
    assert (link.status, link.status_reason) == ("confirmed", "Checked")


# The link page: editing kind and reason


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_the_edit_form_opens_in_place(client, editor, link, headers):
    client.force_login(editor)
    response = client.get(edit_url(link), headers=headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert ("<html" in html) == (not headers)
    assert '<option value="contradicts" selected>contradicts</option>' in html
    assert "Loyal or split" in html


def test_editing_without_javascript_keeps_the_discussion(client, editor, link):
    Comment.objects.create(link=link, body="Argued at length")
    client.force_login(editor)
    response = client.post(edit_url(link), {"kind": "in_tension", "reason": "Loyal, mostly", "version": 1})
    assert response.status_code == 303
    html = client.get(response["Location"]).content.decode()
    assert "Link saved." in html
    assert "is in tension with" in html
    assert "Argued at length" in html


def test_editing_with_htmx_answers_with_the_summary(client, editor, link):
    client.force_login(editor)
    response = client.post(edit_url(link), {"kind": "competing", "reason": "Two causes", "version": 1}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "offers a competing explanation to" in html
    assert "Two causes" in html


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_editing_over_a_colleagues_change_keeps_what_was_typed(client, editor, link, headers):
    link.change(kind=link.kind, reason="Their reason", by=editor, seen_version=1)
    client.force_login(editor)
    response = client.post(edit_url(link), {"kind": "in_tension", "reason": "My reason", "version": 1}, headers=headers)
    assert response.status_code == 409
    html = response.content.decode()
    assert "saved a newer version while you were editing" in html
    assert "Their reason" in html and "My reason" in html
    assert 'name="version" value="2"' in html
    assert ClaimLink.objects.get().reason == "Their reason"


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_removing_the_reason_of_a_contradiction_is_refused(client, editor, link, headers):
    client.force_login(editor)
    response = client.post(edit_url(link), {"kind": "contradicts", "reason": "", "version": 1}, headers=headers)
    assert response.status_code == 422
    assert "Say why these claims contradict each other." in response.content.decode()
    assert ClaimLink.objects.get().reason == "Loyal or split"


# Who may


@pytest.mark.parametrize("name", ["link_settle", "link_edit"])
def test_viewers_may_not_settle_or_edit(client, viewer, link, name):
    client.force_login(viewer)
    url = reverse(name, args=[link.pk])
    data = {"status": "confirmed", "kind": "supports", "reason": "", "status_reason": "", "version": 1}
    assert client.post(url, data).status_code == 403
    assert client.post(url, data, headers=HTMX).status_code == 403
    link.refresh_from_db()
    assert (link.status, link.kind) == ("proposed", "contradicts")


def test_settling_without_csrf_token_is_refused(editor, link):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(settle_url(link), {"status": "confirmed", "version": 1}).status_code == 403
    assert client.post(edit_url(link), {"kind": "supports", "version": 1}, headers=HTMX).status_code == 403


# Removing a link


def test_removing_a_link_warns_that_its_discussion_goes_with_it(client, editor, link, claim):
    Comment.objects.create(link=link, body="One")
    Comment.objects.create(link=link, body="Two")
    client.force_login(editor)
    html = client.get(reverse("link_delete", args=[link.pk]), {"claim": claim.pk}).content.decode()
    assert "Its discussion (2 comments) goes with it." in html
    assert "kept in its history" in html
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Its discussion (2 comments) goes with it; both are kept in history." in page


# Query counts


def test_the_link_page_query_count_does_not_grow_with_the_data(client, editor, link, claim, grow_corpus, fixed_queries):
    client.force_login(editor)
    count = fixed_queries(lambda: client.get(link.get_absolute_url()), lambda: grow_corpus(claim=claim))
    assert count == 8


def test_settling_with_htmx_query_count_is_fixed(client, editor, link, claim, grow_corpus, fixed_queries):
    client.force_login(editor)
    statuses = iter(["confirmed", "proposed", "confirmed", "proposed"])

    def settle():
        status = next(statuses)
        return client.post(settle_url(link), {"status": status, "version": link.current_version()}, headers=HTMX)

    count = fixed_queries(settle, lambda: grow_corpus(claim=claim))
    assert count == 14


def test_editing_with_htmx_query_count_is_fixed(client, editor, link, claim, grow_corpus, fixed_queries):
    client.force_login(editor)
    reasons = iter(["One", "Two", "Three"])

    def edit():
        data = {"kind": "contradicts", "reason": next(reasons), "version": link.current_version()}
        return client.post(edit_url(link), data, headers=HTMX)

    count = fixed_queries(edit, lambda: grow_corpus(claim=claim))
    assert count == 20


# The contradictions page


@pytest.fixture
def disputes(claim, other, make_claim, editor):
    third = make_claim("loyal", "Loyal, says a third.")
    proposed = claim.link(other, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Proposed one")
    confirmed = claim.link(third, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Confirmed one")
    confirmed.settle(ClaimLink.Status.CONFIRMED, by=editor, reason="Both checked", seen_version=1)
    rejected = other.link(third, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Rejected one")
    rejected.settle(ClaimLink.Status.REJECTED, by=editor, reason="Different years", seen_version=1)
    tension = other.link(third, ClaimLink.Kind.IN_TENSION, by=editor, reason="Tension one")
    return {"proposed": proposed, "confirmed": confirmed, "rejected": rejected, "tension": tension}


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, ["Proposed one", "Confirmed one"]),
        ({"status": "proposed"}, ["Proposed one"]),
        ({"status": "confirmed"}, ["Confirmed one"]),
        ({"status": "rejected"}, ["Rejected one"]),
        ({"status": "all"}, ["Proposed one", "Confirmed one", "Rejected one"]),
        ({"kind": "in_tension"}, ["Tension one"]),
        ({"kind": "all"}, ["Proposed one", "Confirmed one", "Tension one"]),
        ({"kind": "nonsense", "status": "nonsense"}, ["Proposed one", "Confirmed one"]),
    ],
)
def test_the_contradictions_page_filters_by_status_and_kind(client, viewer, disputes, query, shown):
    client.force_login(viewer)
    for headers in ({}, HTMX):
        html = client.get(reverse("contradiction_list"), query, headers=headers).content.decode()
        assert ("<html" in html) == (not headers)
        found = [text for text in ["Proposed one", "Confirmed one", "Rejected one", "Tension one"] if text in html]
        assert sorted(found) == sorted(shown)


def test_the_contradictions_page_shows_each_pairs_status(client, viewer, disputes):
    client.force_login(viewer)
    html = client.get(reverse("contradiction_list"), {"status": "all"}).content.decode()
    assert '<span class="status status-proposed">Proposed</span>' in html
    assert '<span class="status status-confirmed">Confirmed</span> by editor' in html
    assert "Why: Different years" in html
    assert "3 contradictions." in html


def test_the_contradiction_export_follows_the_page_filters(client, viewer, disputes):
    import json

    client.force_login(viewer)
    response = client.get(reverse("contradiction_export_json"), {"status": "rejected"})
    rows = json.loads(b"".join(response.streaming_content))
    assert [(row["reason"], row["status"], row["settled_why"]) for row in rows] == [
        ("Rejected one", "rejected", "Different years")
    ]


def test_the_contradictions_page_query_count_does_not_grow_with_the_data(
    client, viewer, disputes, claim, grow_corpus, fixed_queries
):
    client.force_login(viewer)
    count = fixed_queries(
        lambda: client.get(reverse("contradiction_list"), {"status": "all", "kind": "all"}),
        lambda: grow_corpus(claim=claim),
    )
    # + both sides' attribution chains (relays and co-speakers of each end), the story and event choices
    assert count == 14
