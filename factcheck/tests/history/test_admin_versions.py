import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from factcheck.models import Article, Claim, Source
from factcheck.tests.page_forms import FormFields

pytestmark = pytest.mark.django_db
STALE = "Someone saved this while you were editing it. Open it again to see their changes, then make yours."


def admin_form(client, url):
    """Open an admin change form; return what saving it unchanged would send."""
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    (form,) = [fields for form_id, fields in parser.forms.items() if form_id.endswith("_form")]
    return {name: value for name, value in form.items() if value is not None}


@pytest.fixture
def ana(db):
    user = User.objects.create_user("ana", first_name="Ana", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def ben(db):
    user = User.objects.create_user("ben", first_name="Ben", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def claim(make_claim):
    return make_claim("The army is loyal to the president", "The army is loyal.")


@pytest.fixture(params=["claim", "article", "source"])
def versioned(request, claim):
    """Each model the admin edits with a version: the object, and a text field to change."""
    return {
        "claim": (claim, "statement"),
        "article": (claim.article, "title"),
        "source": (claim.speaker, "name"),
    }[request.param]


def change_url(obj):
    return reverse(f"admin:factcheck_{obj._meta.model_name}_change", args=[obj.pk])


def current(obj, field):
    saved = type(obj).objects.get(pk=obj.pk)
    return getattr(saved, field), saved.version


def test_the_change_form_carries_the_version_seen(ana, versioned):
    obj, _ = versioned
    form = admin_form(as_user(ana), change_url(obj))
    assert form["version"] == "1"


def test_a_save_over_the_version_seen_goes_through_and_bumps_it(ana, versioned):
    obj, field = versioned
    client = as_user(ana)
    form = admin_form(client, change_url(obj))
    response = client.post(change_url(obj), {**form, field: "Ana's wording"})
    assert response.status_code == 302
    assert current(obj, field) == ("Ana's wording", 2)
    assert admin_form(client, change_url(obj))["version"] == "2"


def test_a_second_save_from_the_same_old_form_is_refused(ana, versioned):
    obj, field = versioned
    client = as_user(ana)
    form = admin_form(client, change_url(obj))
    assert client.post(change_url(obj), {**form, field: "First save"}).status_code == 302

    response = client.post(change_url(obj), {**form, field: "Second save"})

    assert response.status_code == 200
    html = response.content.decode()
    assert STALE.replace("'", "&#x27;") in html
    assert current(obj, field) == ("First save", 2)
    assert obj.history.count() == 2


def test_a_colleagues_save_is_not_overwritten(ana, ben, versioned):
    obj, field = versioned
    anas, bens = as_user(ana), as_user(ben)
    seen_by_ana = admin_form(anas, change_url(obj))
    seen_by_ben = admin_form(bens, change_url(obj))
    assert anas.post(change_url(obj), {**seen_by_ana, field: "Ana's wording"}).status_code == 302

    response = bens.post(change_url(obj), {**seen_by_ben, field: "Ben's wording"})

    assert response.status_code == 200
    assert "Someone saved this while you were editing it." in response.content.decode()
    assert current(obj, field) == ("Ana's wording", 2)
    assert obj.history.latest().history_user == ana


def test_reopening_the_form_after_a_refusal_lets_the_save_through(ana, ben, versioned):
    obj, field = versioned
    anas, bens = as_user(ana), as_user(ben)
    seen_by_ben = admin_form(bens, change_url(obj))
    anas.post(change_url(obj), {**admin_form(anas, change_url(obj)), field: "Ana's wording"})
    assert bens.post(change_url(obj), {**seen_by_ben, field: "Ben's wording"}).status_code == 200

    response = bens.post(change_url(obj), {**admin_form(bens, change_url(obj)), field: "Ben's wording"})

    assert response.status_code == 302
    assert current(obj, field) == ("Ben's wording", 3)
    assert [record.history_user for record in obj.history.order_by("history_id")] == [None, ana, ben]


def test_a_form_without_the_version_seen_is_refused(ana, versioned):
    obj, field = versioned
    client = as_user(ana)
    form = admin_form(client, change_url(obj))
    del form["version"]
    response = client.post(change_url(obj), {**form, field: "Blind save"})
    assert response.status_code == 200
    assert "This form lacks the version you started from" in response.content.decode()
    assert current(obj, field)[1] == 1


def test_a_save_in_the_admin_makes_the_page_form_stale(ana, ben, claim):
    page = as_user(ben)
    page_url = reverse("claim_edit", args=[claim.pk])
    page.get(page_url)
    admin = as_user(ana)
    admin.post(change_url(claim), {**admin_form(admin, change_url(claim)), "statement": "Saved in the admin"})

    response = page.post(page_url, {"statement": "Saved on the page", "verdict": "false", "version": 1})

    assert response.status_code == 409
    assert "Ana saved a newer version while you were editing." in response.content.decode()
    assert current(claim, "statement") == ("Saved in the admin", 2)


def test_a_save_on_the_page_makes_the_admin_form_stale(ana, ben, claim):
    admin = as_user(ana)
    form = admin_form(admin, change_url(claim))
    page = as_user(ben)
    data = {"statement": "Saved on the page", "verdict": "false", "version": 1}
    assert page.post(reverse("claim_edit", args=[claim.pk]), data).status_code == 303

    response = admin.post(change_url(claim), {**form, "statement": "Saved in the admin"})

    assert response.status_code == 200
    assert "Someone saved this while you were editing it." in response.content.decode()
    assert current(claim, "statement") == ("Saved on the page", 2)


def test_claims_on_their_articles_admin_page_are_changed_only_on_their_own_page(ana, claim):
    client = as_user(ana)
    url = change_url(claim.article)
    form = admin_form(client, url)
    assert "claims-0-statement" not in form  # shown read-only, with a link to the claim's own page
    assert change_url(claim) in client.get(url).content.decode()
    response = client.post(url, {**form, "claims-0-statement": "Changed inline"})
    assert response.status_code == 302
    assert current(claim, "statement") == ("The army is loyal.", 1)


def test_saving_an_article_in_the_admin_does_not_undo_a_claim_saved_meanwhile(ana, ben, claim):
    admin = as_user(ana)
    url = change_url(claim.article)
    form = admin_form(admin, url)
    data = {"statement": "Saved on the page", "verdict": "false", "version": 1}
    assert as_user(ben).post(reverse("claim_edit", args=[claim.pk]), data).status_code == 303

    admin.post(url, {**form, "title": "Retitled in the admin"})

    assert Claim.objects.get(pk=claim.pk).statement == "Saved on the page"


def test_the_admin_save_is_recorded_with_who(ana, versioned):
    obj, field = versioned
    client = as_user(ana)
    client.post(change_url(obj), {**admin_form(client, change_url(obj)), field: "Ana's wording"})
    record = obj.history.latest()
    assert (record.history_type, record.history_user, getattr(record, field), record.version) == (
        "~",
        ana,
        "Ana's wording",
        2,
    )


def test_a_new_object_starts_at_version_one(ana, speaker):
    client = as_user(ana)
    form = admin_form(client, reverse("admin:factcheck_source_add"))
    assert (
        client.post(reverse("admin:factcheck_source_add"), {**form, "name": "Reuters", "kind": "outlet"}).status_code
        == 302
    )
    assert Source.objects.get(name="Reuters").version == 1
    form = admin_form(client, reverse("admin:factcheck_article_add"))
    data = {**form, "title": "New report", "body": "A new text."}
    assert client.post(reverse("admin:factcheck_article_add"), data).status_code == 302
    assert Article.objects.get(title="New report").version == 1
