"""The data model, one module per feature; everything is importable from here."""

from .articles import Article, ArticleExists, ArticleQuerySet
from .chains import CoSpeaker, Relay, RelayManner
from .claims import Claim, ClaimKind, ClaimQuerySet, DatePrecision, Verdict
from .comments import Comment, CommentQuerySet
from .fetching import ArticleFetch, ArticleFetchQuerySet, FetchStatus
from .links import ClaimLink, ClaimLinkQuerySet, LinkExists, LinkKind, LinkStatus
from .sources import Source, SourceKind, SourceQuerySet
from .tokens import ApiToken, ApiTokenQuerySet
from .versioning import CONFLICT_MESSAGE, EditConflict, Versioned

__all__ = [
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
