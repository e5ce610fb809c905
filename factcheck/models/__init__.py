"""The data model, one module per feature; everything is importable from here."""

from .articles import Article, ArticleQuerySet
from .claims import Claim, ClaimQuerySet, Verdict
from .comments import Comment, CommentQuerySet
from .links import ClaimLink, ClaimLinkQuerySet, LinkExists, LinkKind
from .sources import Source, SourceKind, SourceQuerySet
from .versioning import CONFLICT_MESSAGE, EditConflict, Versioned

__all__ = [
    "CONFLICT_MESSAGE",
    "Article",
    "ArticleQuerySet",
    "Claim",
    "ClaimLink",
    "ClaimLinkQuerySet",
    "ClaimQuerySet",
    "Comment",
    "CommentQuerySet",
    "EditConflict",
    "LinkExists",
    "LinkKind",
    "Source",
    "SourceKind",
    "SourceQuerySet",
    "Verdict",
    "Versioned",
]
