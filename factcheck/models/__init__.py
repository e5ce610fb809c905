"""The data model, one module per feature; everything is importable from here."""

from .articles import Article, ArticleExists, ArticleQuerySet
from .chains import CoSpeaker, Relay, RelayManner
from .claims import Claim, ClaimKind, ClaimQuerySet, DatePrecision, Verdict
from .comments import Comment, CommentQuerySet
from .fetching import ArticleFetch, ArticleFetchQuerySet, FetchStatus
from .links import ClaimLink, ClaimLinkQuerySet, LinkExists, LinkKind, LinkStatus
from .sources import Source, SourceKind, SourceQuerySet
from .stories import ClaimTag, Event, Story, StoryArticle, StoryQuerySet, Tag
from .tokens import ApiToken, ApiTokenQuerySet
from .versioning import CONFLICT_MESSAGE, EditConflict, Versioned
from .workflow import Notification, NotificationQuerySet, Reviewable, ReviewStatus

__all__ = [
    "Tag",
    "StoryQuerySet",
    "StoryArticle",
    "Story",
    "Reviewable",
    "ReviewStatus",
    "NotificationQuerySet",
    "Notification",
    "Event",
    "ClaimTag",
    "CONFLICT_MESSAGE",
    "ApiToken",
    "ApiTokenQuerySet",
    "Article",
    "ArticleExists",
    "ArticleFetch",
    "ArticleFetchQuerySet",
    "ArticleQuerySet",
    "Claim",
    "ClaimKind",
    "ClaimLink",
    "ClaimLinkQuerySet",
    "ClaimQuerySet",
    "CoSpeaker",
    "Comment",
    "CommentQuerySet",
    "DatePrecision",
    "EditConflict",
    "FetchStatus",
    "LinkExists",
    "LinkKind",
    "LinkStatus",
    "Relay",
    "RelayManner",
    "Source",
    "SourceKind",
    "SourceQuerySet",
    "Verdict",
    "Versioned",
]
