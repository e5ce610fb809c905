"""What the API reads and writes, as pydantic schemas: the OpenAPI schema is generated from them."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from ..models import Claim, ClaimLink, Comment, Source

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


class ClaimOut(Schema):
    id: int
    article: ArticleRef
    statement: str
    quote: str
    quote_start: int | None = Field(description="Where the quote starts in the article's text; null: orphaned.")
    quote_end: int | None
    speaker: SourceRef
    claimed_on: date | None
    verdict: Verdict
    verdict_note: str
    version: int
    created_at: datetime
    updated_at: datetime


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
    claimed_on: date | None = None


class ClaimChange(Schema):
    version: Version
    statement: Text = None
    verdict: Verdict = None
    verdict_note: Text = None
    quote: Text = Field(None, description="Place the claim on this passage of its article again.")
    quote_start: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None


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
    created_by: str | None = Field(None, alias="created_by.username")
    created_at: datetime


class LinkPage(Page):
    items: list[LinkOut]


class LinkIn(Schema):
    from_claim: Id
    to_claim: Id
    kind: LinkKind
    reason: Text = Field("", description="Why they are linked; required for a contradiction.")


# Comments


class CommentOut(Schema):
    id: int
    body: str
    author: str | None = Field(None, alias="author.username")
    created_at: datetime


class CommentIn(Schema):
    # As the comment form: the model's TextField does not check its length itself.
    body: Annotated[str, Field(max_length=Comment._meta.get_field("body").max_length), AfterValidator(_storable)]
