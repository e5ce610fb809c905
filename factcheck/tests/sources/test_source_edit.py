import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from factcheck.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def beast(db):
    return Source.objects.create(name="The Daily Beast", kind=Source.Kind.OUTLET)


@pytest.fixture
def source(beast):
    return Source.objects.create(
        name="Alejandro",
        kind=Source.Kind.ANONYMOUS,
        affiliation=beast,
        description="A former intelligence officer.",
        url="https://example.org/alejandro",
        reliability_note="Unverified.",
    )


@pytest.fixture
def url(source):
    return reverse("source_edit", args=[source.pk])


@pytest.fixture
def colleague(db):
    user = User.objects.create_user("ben", first_name="Ben")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def edit(source):
    """The edit form's data, carrying the version the editor saw: the source's current one."""

    def data(**fields):
        source.refresh_from_db(fields=["version"])
        return {
            "name": "Alejandro M.",
            "kind": "person",
            "affiliation": "",
            "description": "Named in a later report.",
            "url": "https://example.org/alejandro-m",
            "reliability_note": "Confirmed by two outlets.",
            "version": source.version,
            **fields,
        }

    return data


def details(source):
    saved = Source.objects.get(pk=source.pk)
    return (
        saved.name,
        saved.kind,
        saved.affiliation_id,
        saved.description,
        saved.url,
        saved.reliability_note,
        saved.version,
    )


@pytest.fixture
def unchanged(source, beast):
    return (
        "Alejandro",
        "anonymous",
        beast.pk,
        "A former intelligence officer.",
        "https://example.org/alejandro",
        "Unverified.",
        1,
    )


def test_edit_page_shows_the_form_filled_in(client, editor, url, source, beast):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Edit source</h1>" in html
    assert '<input type="hidden" name="version" value="1" id="id_version">' in html
    assert 'name="name" value="Alejandro"' in html
    assert '<option value="anonymous" selected>Anonymous source</option>' in html
    assert f'<option value="{beast.pk}" selected>The Daily Beast</option>' in html
    assert ">\nA former intelligence officer.</textarea>" in html
    assert 'name="url" value="https://example.org/alejandro"' in html
    assert ">\nUnverified.</textarea>" in html


def test_edit_page_does_not_offer_the_source_as_its_own_affiliation(client, editor, url, source):
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert f'<option value="{source.pk}"' not in html


def test_saving_goes_back_to_the_source_page(client, editor, url, source, edit):
    client.force_login(editor)
    response = client.post(url, edit())
    assert response.status_code == 303
    assert response["Location"] == f"/sources/{source.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Source saved." in html
    assert "<h1>Alejandro M.</h1>" in html


def test_saving_changes_the_source_and_bumps_the_version(client, editor, url, source, edit):
    client.force_login(editor)
    assert client.post(url, edit()).status_code == 303
    assert details(source) == (
        "Alejandro M.",
        "person",
        None,
        "Named in a later report.",
        "https://example.org/alejandro-m",
        "Confirmed by two outlets.",
        2,
    )


def test_saving_is_recorded_in_the_history_with_who_and_what(client, editor, url, source, edit, beast):
    client.force_login(editor)
    client.post(
        url,
        edit(
            kind="anonymous",
            affiliation=beast.pk,
            url="https://example.org/alejandro",
            reliability_note="Unverified.",
            description="A former intelligence officer.",
        ),
    )
    record = source.history.latest()
    assert (record.history_type, record.history_user, record.version) == ("~", editor, 2)
    changes = record.diff_against(record.prev_record, excluded_fields=["version", "updated_at"]).changes
    assert [(change.field, change.old, change.new) for change in changes] == [("name", "Alejandro", "Alejandro M.")]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": "   "}, "This field is required."),
        ({"kind": "rumour"}, "Select a valid choice. rumour is not one of the available choices."),
        ({"url": "not a web address"}, "Enter a valid URL."),
        ({"affiliation": "999999"}, "Select a valid choice. That choice is not one of the available choices."),
        ({"version": ""}, ""),
    ],
    ids=["empty name", "unknown kind", "bad url", "unknown affiliation", "no version"],
)
def test_bad_input_shows_the_form_again_and_changes_nothing(
    client, editor, url, source, edit, unchanged, change, message
):
    client.force_login(editor)
    response = client.post(url, edit(**change))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert message in html
    assert details(source) == unchanged
    assert source.history.count() == 1


def test_a_source_cannot_be_its_own_affiliation(client, editor, url, source, edit, unchanged):
    client.force_login(editor)
    response = client.post(url, edit(affiliation=source.pk))
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert details(source) == unchanged


def test_the_name_of_another_source_of_the_same_kind_is_refused(client, editor, url, source, edit, unchanged):
    Source.objects.create(name="Alejandro M.", kind=Source.Kind.PERSON)
    client.force_login(editor)
    response = client.post(url, edit())
    assert response.status_code == 422
    assert "A source of this kind with this name already exists." in response.content.decode()
    assert details(source) == unchanged


def test_the_name_of_a_source_of_another_kind_is_accepted(client, editor, url, source, edit):
    Source.objects.create(name="Alejandro M.", kind=Source.Kind.OUTLET)
    client.force_login(editor)
    assert client.post(url, edit()).status_code == 303
    assert details(source)[:2] == ("Alejandro M.", "person")


def test_a_stale_version_is_refused_with_both_versions_side_by_side(client, editor, colleague, url, source, edit):
    seen = edit()
    ben = Client()
    ben.force_login(colleague)
    assert ben.post(url, edit(name="Alejandro (Ben)", kind="anonymous")).status_code == 303

    client.force_login(editor)
    response = client.post(url, {**seen, "name": "Alejandro (Eda)", "kind": "person"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Ben saved a newer version while you were editing." in html
    assert '<th scope="row">Name</th><td>Alejandro (Ben)</td><td>Alejandro (Eda)</td>' in html
    assert '<th scope="row">Kind</th><td>Anonymous source</td><td>Person</td>' in html
    assert "Please correct the errors below." not in html
    assert 'name="name" value="Alejandro (Eda)"' in html
    assert re.findall(r'name="version" value="(\d+)"', html) == ["2"]
    assert details(source)[:2] == ("Alejandro (Ben)", "anonymous")


def test_the_merged_form_saves_over_the_colleagues_version(client, editor, colleague, url, source, edit):
    seen = edit()
    ben = Client()
    ben.force_login(colleague)
    ben.post(url, edit(name="Alejandro (Ben)"))
    client.force_login(editor)
    html = client.post(url, {**seen, "name": "Alejandro (Eda)"}).content.decode()
    version = re.search(r'name="version" value="(\d+)"', html)[1]

    assert client.post(url, {**seen, "name": "Alejandro (Eda)", "version": version}).status_code == 303
    assert details(source)[0] == "Alejandro (Eda)"
    assert details(source)[-1] == 3
    assert [record.history_user for record in source.history.order_by("history_id")] == [None, colleague, editor]


def test_a_viewer_may_not_edit_a_source(client, viewer, url, source, edit, unchanged):
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, edit()).status_code == 403
    assert details(source) == unchanged


def test_an_anonymous_user_is_sent_to_log_in(client, url, source, edit, unchanged):
    for response in (client.get(url), client.post(url, edit())):
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"
    assert details(source) == unchanged


def test_a_post_without_csrf_token_is_refused(editor, url, source, edit, unchanged):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(url, edit()).status_code == 403
    assert details(source) == unchanged


def test_a_post_with_the_pages_csrf_token_is_accepted(editor, url, source, edit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode())[1]
    assert client.post(url, {**edit(), "csrfmiddlewaretoken": token}).status_code == 303
    assert details(source)[0] == "Alejandro M."


def test_an_unknown_source_is_not_found(client, editor, edit):
    client.force_login(editor)
    assert client.get(reverse("source_edit", args=[2_000_000_000])).status_code == 404
    assert client.post(reverse("source_edit", args=[2_000_000_000]), edit()).status_code == 404


def test_edit_form_query_count_does_not_grow_with_the_data(client, editor, url, source, grow_corpus, fixed_queries):
    client.force_login(editor)
    assert fixed_queries(lambda: client.get(url), lambda: grow_corpus(speaker=source)) == 7


def test_saving_query_count_does_not_grow_with_the_data(client, editor, url, source, edit, grow_corpus, fixed_queries):
    client.force_login(editor)
    assert fixed_queries(lambda: client.post(url, edit()), lambda: grow_corpus(speaker=source), status=303) == 21


def test_a_saved_name_is_shown_escaped(client, editor, url, source, edit):
    client.force_login(editor)
    client.post(url, edit(name="<b>Alejandro</b> & co"))
    html = client.get(reverse("source_detail", args=[source.pk])).content.decode()
    assert "<h1>&lt;b&gt;Alejandro&lt;/b&gt; &amp; co</h1>" in html
    assert "<b>Alejandro</b>" not in html
