"""A small story of the review: two claims and a link between them in one article, and a second editor."""

import pytest
from django.contrib.auth.models import Group, User

from factcheck.models import Article, ClaimLink, Story, StoryArticle

HTMX = {"HX-Request": "true"}


@pytest.fixture
def colleague(db):
    user = User.objects.create_user(
        "ana", password="pw-ana-12345", first_name="Ana", last_name="Reyes", email="ana@example.org"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def story(db, article):
    story = Story.objects.create(title="The army's loyalty")
    StoryArticle.objects.create(story=story, article=article)
    return story


@pytest.fixture
def claim(make_claim, story, editor):
    made = make_claim("The army is loyal to the president", "The army is loyal.")
    made.created_by = editor
    made.save()
    return made


@pytest.fixture
def other(make_claim, story):
    return make_claim("Opposition leaders said the army is not loyal", "The army is not loyal.")


@pytest.fixture
def link(claim, other, editor):
    return claim.link(other, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Loyal or not")


@pytest.fixture
def grow_story(story, grow_corpus, claim, colleague):
    """Many more claims and links in the story: grow_corpus's articles taken into it, half of them assigned."""

    def grow():
        grow_corpus(claim=claim)
        for article in Article.objects.exclude(story_memberships__story=story):
            StoryArticle.objects.create(story=story, article=article)
        for n, item in enumerate([*story.claims(), *story.links()]):
            if n % 2:
                item.assign(colleague, due_on=None, by=None, seen_version=item.version)

    return grow
