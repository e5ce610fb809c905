"""What the API reads and writes, as pydantic schemas: the OpenAPI schema is generated from them."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from ..models import Claim, ClaimLink, Comment, Event, Notification, Relay, ReviewStatus, Source, Story, Tag

# The largest id or number the databases store (a bigger one could only ever be "not found").
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="The version you read: a stale one gets 409.")]


def _storable(text):
    # PostgreSQL refuses NUL in text, and a lone surrogate cannot be encoded: refused here, with a message.
    if "\x00" in text:
        raise ValueError("Null characters are not allowed.")
    try:
        text.encode()
    except UnicodeEncodeError:
        raise ValueError("This text holds characters that are not valid Unicode.") from None
    return text


Text = Annotated[str, AfterValidator(_storable)]
Verdict = Literal[tuple(Claim.Verdict.values)]
LinkKind = Literal[tuple(ClaimLink.Kind.values)]
SourceKind = Literal[tuple(Source.Kind.values)]
ClaimKind = Literal[tuple(Claim.Kind.values)]
DatePrecision = Literal[tuple(Claim.DatePrecision.values)]
Manner = Literal[tuple(Relay.Manner.values)]
LinkStatus = Literal[tuple(ClaimLink.Status.values)]
Review = Literal[tuple(ReviewStatus.values)]
Username = Annotated[str, Field(max_length=150, description="A user's username.")]


def _short(model, name):
    """Text no longer than the model's field holds: a longer one refused here, with a message."""
    return Annotated[str, Field(max_length=model._meta.get_field(name).max_length), AfterValidator(_storable)]


Hedge = _short(Claim, "hedge")
DateBasis = _short(Claim, "claimed_on_basis")


class Error(Schema):
    """Every refusal: what went wrong in words, and for bad input each field's messages
    ("__all__" for a rule over several fields)."""

    detail: str
    errors: dict[str, list[str]] = {}


def errors(*codes):
    return dict.fromkeys(codes, Error)


class Page(Schema):
    count: int = Field(description="How many items there are in all.")
    page: int
    pages: int


# Sources


class SourceRef(Schema):
    id: int
    name: str
    kind: str


class SourceOut(SourceRef):
    affiliation: SourceRef | None
    description: str
    url: str
    reliability_note: str
    version: int
    created_at: datetime
    updated_at: datetime


class SourcePage(Page):
    items: list[SourceOut]


class SourceIn(Schema):
    name: Text
    kind: SourceKind = "person"
    affiliation: Id | None = None
    description: Text = ""
    url: Text = ""
    reliability_note: Text = ""


class SourceChange(Schema):
    version: Version
    name: Text = None
    kind: SourceKind = None
    affiliation: Id | None = None
    description: Text = None
    url: Text = None
    reliability_note: Text = None


# Articles


class ArticleRef(Schema):
    id: int
    title: str


class ArticleItem(ArticleRef):
    outlet: SourceRef | None
    author: str
    url: str
    published_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


class ArticleOut(ArticleItem):
    body: str
    republished_from: int | None = Field(None, alias="republished_from_id")


class ArticlePage(Page):
    items: list[ArticleItem]


class ArticleIn(Schema):
    title: Text
    body: Text = Field(description="The full text, kept exactly as given (line breaks made LF).")
    outlet: Id | None = Field(None, description="The id of a source of kind outlet.")
    author: Text = ""
    url: Text = ""
    published_on: date | None = None


class ArticleChange(Schema):
    version: Version
    title: Text = None
    body: Text = Field(None, description="A new text: each claim is kept on its quote, moved, or orphaned.")
    outlet: Id | None = None
    author: Text = None
    url: Text = None
    published_on: date | None = None


# Claims


class EventRef(Schema):
    id: int
    name: str


class HopOut(Schema):
    """One hop of a claim's attribution chain: who passed the claim on, how, and where."""

    position: int = Field(description="1 for the first hop after the original speaker(s).")
    source: SourceRef
    manner: Manner
    reason: str = Field(description="How this hop changed the claim.")
    url: str = Field(description="The intermediate report, when known.")
    article: ArticleRef | None = Field(description="The intermediate report, when it is an article recorded here.")


class ClaimOut(Schema):
    id: int
    article: ArticleRef
    statement: str
    quote: str
    quote_start: int | None = Field(description="Where the quote starts in the article's text; null: orphaned.")
    quote_end: int | None
    speaker: SourceRef
    co_speakers: list[SourceRef] = Field(description="The other original speakers, beside the speaker.")
    chain: list[HopOut] = Field(description="The hops that passed the claim on, from its original to its article.")
    chain_line: str = Field(description='The chain as one line: "Alejandro (anonymous) → The Daily Beast → GPA".')
    kind: ClaimKind
    hedge: str
    claimed_on: date | None
    claimed_on_precision: DatePrecision
    claimed_until: date | None = Field(description="The end of the range, when the date is a range.")
    claimed_on_basis: str = Field(description="The words of the text that give the date.")
    verdict: Verdict
    verdict_note: str
    number: int = Field(description="The claim's number in its article, kept when claims are added before it.")
    event: EventRef | None = Field(description="The event of one of the article's stories the claim is about.")
    tags: list[str]
    review_status: Review
    assignee: str | None = Field(None, alias="assignee.username", description="Who reviews it.")
    due_on: date | None = Field(description="When its review should be done.")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_tags(claim):
        return [tag.name for tag in claim.tags.all()]

    @staticmethod
    def resolve_co_speakers(claim):
        return claim.speakers()[1:]

    @staticmethod
    def resolve_chain(claim):
        return claim.chain()

    @staticmethod
    def resolve_chain_line(claim):
        return claim.chain_line()


class ClaimPage(Page):
    items: list[ClaimOut]


class ClaimIn(Schema):
    article: Id
    quote: Text = Field(description="The exact passage of the article's text.")
    quote_start: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = Field(
        None, description="Where the passage starts, when it occurs more than once."
    )
    statement: Text = Field(description="The claim in neutral words.")
    speaker: Id = Field(description="The id of the source reported as saying it.")
    kind: ClaimKind = "fact"
    hedge: Hedge = ""
    claimed_on: date | None = None
    claimed_on_precision: DatePrecision = "day"
    claimed_until: date | None = Field(None, description="The end of the range, for the precision `range`.")
    claimed_on_basis: DateBasis = ""


class ClaimChange(Schema):
    version: Version
    statement: Text = None
    kind: ClaimKind = None
    hedge: Hedge = None
    claimed_on: date | None = None
    claimed_on_precision: DatePrecision = None
    claimed_until: date | None = None
    claimed_on_basis: DateBasis = None
    verdict: Verdict = None
    verdict_note: Text = None
    quote: Text = Field(None, description="Place the claim on this passage of its article again.")
    quote_start: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None


class HopIn(Schema):
    source: Id = Field(description="The id of the source that passed the claim on.")
    manner: Manner = "unknown"
    reason: Text = Field("", description="How this hop changed the claim: required unless verbatim or unknown.")
    url: Annotated[str, Field(max_length=Relay._meta.get_field("url").max_length), AfterValidator(_storable)] = ""
    article: Id | None = Field(None, description="The id of the intermediate report, when it is recorded here.")


class ChainIn(Schema):
    version: Version
    co_speakers: list[Id] = Field([], max_length=50, description="The ids of the other original speakers.")
    hops: list[HopIn] = Field(max_length=50, description="In order, from the original speaker(s) to the article.")


# Links


class ClaimRef(Schema):
    id: int
    statement: str


class LinkOut(Schema):
    id: int
    from_claim: ClaimRef
    to_claim: ClaimRef
    kind: LinkKind
    reason: str
    status: LinkStatus
    status_by: str | None = Field(None, alias="status_by.username", description="Who confirmed or rejected it.")
    status_at: datetime | None
    status_reason: str = Field(description="Why it was confirmed or rejected.")
    review_status: Review
    assignee: str | None = Field(None, alias="assignee.username", description="Who reviews it.")
    due_on: date | None = Field(description="When its review should be done.")
    version: int
    created_by: str | None = Field(None, alias="created_by.username")
    created_at: datetime
    updated_at: datetime


class LinkPage(Page):
    items: list[LinkOut]


class LinkIn(Schema):
    from_claim: Id
    to_claim: Id
    kind: LinkKind
    reason: Text = Field("", description="Why they are linked; required for a contradiction.")


class LinkChange(Schema):
    version: Version
    kind: LinkKind = None
    reason: Text = None


class LinkSettle(Schema):
    version: Version
    status: LinkStatus
    reason: Text = Field("", description="Why: required for a rejection.")


# Comments


class CommentOut(Schema):
    id: int
    body: str
    author: str | None = Field(None, alias="author.username")
    created_at: datetime


class CommentIn(Schema):
    # As the comment form: the model's TextField does not check its length itself.
    body: Annotated[str, Field(max_length=Comment._meta.get_field("body").max_length), AfterValidator(_storable)]


# The review workflow


class Assignment(Schema):
    version: Version
    assignee: Username | None = Field(description="Who reviews it (an editor's username); null: nobody.")
    due_on: date | None = Field(None, description="When the review should be done.")


class Move(Schema):
    version: Version
    review_status: Review = Field(description="For a claim, published publishes its review; links are never published.")


class NotificationOut(Schema):
    id: int
    verb: Literal[tuple(Notification.Verb.values)]
    message: str
    actor: str | None = Field(None, alias="actor.username")
    claim: int | None = Field(None, alias="claim_id")
    link: int | None = Field(None, alias="link_id")
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page):
    unread: int
    items: list[NotificationOut]


class NotificationsRead(Schema):
    ids: list[Id] | None = Field(None, max_length=1000, description="The notifications to mark read; null: all.")


# Stories


class EventOut(EventRef):
    starts_on: date | None
    ends_on: date | None = Field(description="Null for an event of one day.")
    description: str
    version: int


class StoryItem(Schema):
    id: int
    title: str
    summary: str
    version: int
    created_by: str | None = Field(None, alias="created_by.username")
    created_at: datetime
    updated_at: datetime


class StoryOut(StoryItem):
    articles: list[ArticleRef]
    events: list[EventOut]

    @staticmethod
    def resolve_articles(story):
        return story.articles.defer("body").order_by("pk")

    @staticmethod
    def resolve_events(story):
        return story.events.all()


class StoryPage(Page):
    items: list[StoryItem]


def _limited(model, name):
    return Annotated[str, Field(max_length=model._meta.get_field(name).max_length), AfterValidator(_storable)]


StoryTitle = _limited(Story, "title")
EventName = _limited(Event, "name")
TagName = _limited(Tag, "name")


class StoryIn(Schema):
    title: StoryTitle
    summary: Text = ""


class StoryChange(Schema):
    version: Version
    title: StoryTitle = None
    summary: Text = None


class EventIn(Schema):
    name: EventName
    starts_on: date | None = None
    ends_on: date | None = Field(None, description="The last day, for an event of several days.")
    description: Text = ""


class EventChange(Schema):
    version: Version
    name: EventName = None
    starts_on: date | None = None
    ends_on: date | None = None
    description: Text = None


class ScopeIn(Schema):
    version: Version = Field(description="The claim's version you read: a stale one gets 409.")
    event: Id | None = Field(None, description="An event of a story the claim's article is in; null: none.")
    tags: list[TagName] = Field([], max_length=50, description="The claim's tags by name, made when missing.")
