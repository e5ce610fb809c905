"""The pages, one module per feature: each view chooses, checks access and renders."""

from .articles import article_delete, article_detail, article_edit, article_list
from .claims import claim_create, claim_detail, claim_edit, claim_link_candidates, claim_link_create, claim_place
from .comments import claim_comment_create, link_comment_create
from .contradictions import contradiction_list
from .home import healthz, home
from .links import link_delete, link_detail
from .pickers import picker_options
from .search import claim_list, search_page
from .sources import source_detail, source_edit, source_list, source_options

__all__ = [
    "article_delete",
    "article_detail",
    "article_edit",
    "article_list",
    "claim_comment_create",
    "claim_create",
    "claim_detail",
    "claim_edit",
    "claim_link_candidates",
    "claim_link_create",
    "claim_list",
    "claim_place",
    "contradiction_list",
    "healthz",
    "home",
    "link_comment_create",
    "link_delete",
    "link_detail",
    "picker_options",
    "search_page",
    "source_detail",
    "source_edit",
    "source_list",
    "source_options",
]
