from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Router, Status

from ..models import Article, Claim, EditConflict, Event, Story
from ..models.stories import set_scope
from .claims import _claims
from .errors import NOT_VALID, Refused, conflict, invalid, require, save_checked
from .links import _links
from .reading import PageNumber, Words, one, page_of
from .schemas import (
    ClaimOut,
    ClaimPage,
    EventChange,
    EventIn,
    EventOut,
    Id,
    LinkPage,
    ScopeIn,
    StoryChange,
    StoryIn,
    StoryOut,
    StoryPage,
    errors,
)

router = Router(tags=["stories"])


def _story(id):
    return one(Story.objects.for_detail(), id, "story")


@router.get("/stories", response={200: StoryPage, **errors(401, 422)})
def list_stories(request, q: Words = "", page: PageNumber = 1):
    """Stories by title; `q` keeps those whose title or summary holds the words."""
    stories = Story.objects.for_detail().order_by("title", "pk")
    for word in q.split():
        stories = stories.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return page_of(stories, page)


@router.post("/stories", response={201: StoryOut, **errors(401, 403, 409, 422)})
def add_story(request, payload: StoryIn):
    """Start a story (editors). A story of the same title, whatever its case: 422."""
    require(request, "factcheck.add_story")
    story = Story(title=" ".join(payload.title.split()), summary=payload.summary.strip(), created_by=request.user)
    story._history_user = request.user
    save_checked(story, story.save_checked)
    return Status(201, story)


@router.get("/stories/{id}", response={200: StoryOut, **errors(401, 404, 422)})
def get_story(request, id: Id):
    """A story with its articles and its events."""
    return _story(id)


@router.patch("/stories/{id}", response={200: StoryOut, **errors(401, 403, 404, 409, 422)})
def change_story(request, id: Id, payload: StoryChange):
    """Change a story's title or summary (editors): send the `version` you read. Someone saved since: 409."""
    require(request, "factcheck.change_story")
    story = _story(id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if changes.get("title") is not None:
        story.title = " ".join(changes["title"].split())
    if changes.get("summary") is not None:
        story.summary = changes["summary"].strip()
    story._history_user = request.user
    save_checked(story, lambda: story.save_over(payload.version))
    return story


def _article(id):
    found = Article.objects.defer("body").filter(pk=id).first()
    if found is None:
        raise Refused(404, "No article with this id.")
    return found


@router.put("/stories/{id}/articles/{article_id}", response={200: StoryOut, **errors(401, 403, 404, 409, 422)})
def add_story_article(request, id: Id, article_id: Id):
    """Put an article (and so its claims) in the story (editors). One already in stays as it is."""
    require(request, "factcheck.add_storyarticle")
    story = _story(id)
    try:
        story.add_article(_article(article_id), by=request.user)
    except ValidationError as error:
        raise invalid(error, status=409) from None
    return story


@router.delete("/stories/{id}/articles/{article_id}", response={200: StoryOut, **errors(401, 403, 404, 422)})
def remove_story_article(request, id: Id, article_id: Id):
    """Take an article out of the story (editors); its claims lose the story's events."""
    require(request, "factcheck.delete_storyarticle")
    story = _story(id)
    if not story.remove_article(_article(article_id), by=request.user):
        raise Refused(404, "This article is not in the story.")
    return story


@router.get("/stories/{id}/claims", response={200: ClaimPage, **errors(401, 404, 422)})
def list_story_claims(request, id: Id, page: PageNumber = 1):
    """The claims of the story's articles, article by article, in each article's numbering."""
    return page_of(_claims().filter(pk__in=_story(id).claims().values("pk")).order_by("article", "number"), page)


@router.get("/stories/{id}/links", response={200: LinkPage, **errors(401, 404, 422)})
def list_story_links(request, id: Id, page: PageNumber = 1):
    """The links between two claims of the story, newest first."""
    return page_of(_links().filter(pk__in=_story(id).links().values("pk")), page)


@router.post("/stories/{id}/events", response={201: EventOut, **errors(401, 403, 404, 409, 422)})
def add_event(request, id: Id, payload: EventIn):
    """Add an event to the story (editors): a name the story has not used yet, its first and last day."""
    require(request, "factcheck.add_event")
    event = Event(story=_story(id), **payload.model_dump())
    event.name, event.description = " ".join(event.name.split()), event.description.strip()
    event._history_user = request.user
    save_checked(event, event.save_checked)
    return Status(201, event)


def _event(id):
    return one(Event.objects.all(), id, "event")


@router.patch("/events/{id}", response={200: EventOut, **errors(401, 403, 404, 409, 422)})
def change_event(request, id: Id, payload: EventChange):
    """Change an event (editors): send the `version` you read. Someone saved since: 409."""
    require(request, "factcheck.change_event")
    event = _event(id)
    for field, value in payload.model_dump(exclude_unset=True, exclude={"version"}).items():
        if field in ("name", "description") and value is None:
            continue
        setattr(event, field, " ".join(value.split()) if field == "name" else value)
    event._history_user = request.user
    save_checked(event, lambda: event.save_over(payload.version))
    return event


@router.delete("/events/{id}", response={204: None, **errors(401, 403, 404, 422)})
def delete_event(request, id: Id):
    """Remove an event (editors): its claims stay, without it."""
    require(request, "factcheck.delete_event")
    event = _event(id)
    event._history_user = request.user
    event.delete()
    return Status(204, None)


@router.put("/claims/{id}/scope", response={200: ClaimOut, **errors(401, 403, 404, 409, 422)})
def put_scope(request, id: Id, payload: ScopeIn):
    """Set a claim's event and tags (editors), as the claim's "Event and tags" page does: the event one of a
    story its article is in (or null), the tags by name, made when missing. Send the claim's `version`."""
    require(request, "factcheck.change_claim")
    claim = one(Claim.objects.for_detail(), id, "claim")
    event = None
    if payload.event is not None:
        event = Event.objects.filter(pk=payload.event).first()
        if event is None:
            raise Refused(422, NOT_VALID, {"event": ["No event with this id."]})
    names = list(dict.fromkeys(" ".join(name.split()) for name in payload.tags if name.strip()))
    try:
        set_scope(claim, event, names, by=request.user, seen_version=payload.version)
    except EditConflict:
        raise conflict() from None
    except ValidationError as error:
        raise invalid(error) from None
    return one(_claims(), claim.pk, "claim")
