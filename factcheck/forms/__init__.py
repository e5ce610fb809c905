"""The forms, one module per feature; everything is importable from here."""

from .accounts import AdminLoginForm, LoginForm
from .articles import ArticleForm
from .claims import ClaimAdminForm, ClaimEditForm, ClaimForm, ClaimQuoteForm, speaker_label
from .comments import CommentForm
from .links import LinkForm
from .new_articles import ArticleCheckForm, NewArticleForm
from .sources import SourceForm
from .versioning import STALE_FORM, CheckedInFormMixin, VersionedForm

__all__ = [
    "STALE_FORM",
    "AdminLoginForm",
    "ArticleCheckForm",
    "ArticleForm",
    "CheckedInFormMixin",
    "ClaimAdminForm",
    "ClaimEditForm",
    "ClaimForm",
    "ClaimQuoteForm",
    "CommentForm",
    "LinkForm",
    "LoginForm",
    "NewArticleForm",
    "SourceForm",
    "VersionedForm",
    "speaker_label",
]
