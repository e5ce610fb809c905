"""The pages, one module per feature: each view chooses, checks access and renders."""

from .articles import article_delete, article_detail, article_edit, article_list
from .chains import claim_chain
from .claims import claim_create, claim_detail, claim_edit, claim_link_candidates, claim_link_create, claim_place
from .comments import claim_comment_create, link_comment_create
from .contradictions import contradiction_list
from .exports import article_export, claim_export, contradiction_export, link_export, source_export, story_export
from .home import favicon, healthz, home
from .links import link_delete, link_detail, link_edit, link_settle
from .new_articles import article_fetch, article_new, article_new_check
from .notifications import notification_count, notification_list, notifications_read
from .pickers import picker_options
from .reviews import claim_publish, claim_review_public, claim_unpublish, review_list
from .search import claim_list, search_page
from .self_contradictions import self_contradictions
from .sources import source_detail, source_edit, source_list, source_options
from .stories import story_detail, story_graph
from .story_editing import (
    claim_scope,
    event_delete,
    event_edit,
    event_new,
    story_articles,
    story_edit,
    story_list,
    story_new,
)
from .tokens import api_token_revoke, api_tokens
from .workflow import claim_assignment, claim_move, link_assignment, link_move, my_work, story_board

__all__ = [
    "story_detail",
    "story_graph",
    "story_list",
    "story_new",
    "story_edit",
    "story_articles",
    "event_new",
    "event_edit",
    "event_delete",
    "claim_scope",
    "story_board",
    "claim_move",
    "link_move",
    "claim_assignment",
    "link_assignment",
    "my_work",
    "notification_list",
    "notifications_read",
    "notification_count",
    "story_export",
    "api_token_revoke",
    "api_tokens",
    "article_export",
    "claim_export",
    "contradiction_export",
    "link_export",
    "source_export",
    "article_delete",
    "article_detail",
    "article_edit",
    "article_fetch",
    "article_list",
    "article_new",
    "article_new_check",
    "claim_chain",
    "claim_comment_create",
    "claim_create",
    "claim_detail",
    "claim_edit",
    "claim_link_candidates",
    "claim_link_create",
    "claim_list",
    "claim_place",
    "claim_publish",
    "claim_review_public",
    "claim_unpublish",
    "contradiction_list",
    "self_contradictions",
    "favicon",
    "healthz",
    "home",
    "link_comment_create",
    "link_delete",
    "link_detail",
    "link_edit",
    "link_settle",
    "review_list",
    "picker_options",
    "search_page",
    "source_detail",
    "source_edit",
    "source_list",
    "source_options",
]
