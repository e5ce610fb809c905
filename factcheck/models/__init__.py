"""The data model, one module per feature; everything is importable from here."""

from .articles import Article, ArticleExists, ArticleQuerySet
from .claims import Claim, ClaimQuerySet, Verdict
from .comments import Comment, CommentQuerySet
from .fetching import ArticleFetch, ArticleFetchQuerySet, FetchStatus
from .links import ClaimLink, ClaimLinkQuerySet, LinkExists, LinkKind
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
    "ClaimLink",
    "ClaimLinkQuerySet",
    "ClaimQuerySet",
    "Comment",
    "CommentQuerySet",
    "EditConflict",
    "FetchStatus",
    "LinkExists",
    "LinkKind",
    "Source",
    "SourceKind",
    "SourceQuerySet",
    "Verdict",
    "Versioned",
]
