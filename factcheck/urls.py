from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .api import urls as api_urls
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/new", views.article_new, name="article_new"),
    path("articles/new/check", views.article_new_check, name="article_new_check"),
    path("articles/fetches/<int:pk>/", views.article_fetch, name="article_fetch"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/edit", views.article_edit, name="article_edit"),
    path("articles/<int:pk>/delete", views.article_delete, name="article_delete"),
    path("articles/<int:pk>/claims/new", views.claim_create, name="claim_create"),
    path("claims/", views.claim_list, name="claim_list"),
    # Each list as a file, CSV or JSON, for the list's own filters (factcheck/views/exports.py).
    path("claims/export.csv", views.claim_export, {"format": "csv"}, name="claim_export_csv"),
    path("claims/export.json", views.claim_export, {"format": "json"}, name="claim_export_json"),
    path("articles/export.csv", views.article_export, {"format": "csv"}, name="article_export_csv"),
    path("articles/export.json", views.article_export, {"format": "json"}, name="article_export_json"),
    path("sources/export.csv", views.source_export, {"format": "csv"}, name="source_export_csv"),
    path("sources/export.json", views.source_export, {"format": "json"}, name="source_export_json"),
    path("contradictions/export.csv", views.contradiction_export, {"format": "csv"}, name="contradiction_export_csv"),
    path(
        "contradictions/export.json", views.contradiction_export, {"format": "json"}, name="contradiction_export_json"
    ),
    path("links/export.csv", views.link_export, {"format": "csv"}, name="link_export_csv"),
    path("links/export.json", views.link_export, {"format": "json"}, name="link_export_json"),
    path("search/", views.search_page, name="search"),
    path("pick/sources", views.picker_options, {"what": "source"}, name="pick_source"),
    path("pick/outlets", views.picker_options, {"what": "outlet"}, name="pick_outlet"),
    path("pick/articles", views.picker_options, {"what": "article"}, name="pick_article"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/place", views.claim_place, name="claim_place"),
    path("claims/<int:pk>/chain", views.claim_chain, name="claim_chain"),
    path("claims/<int:pk>/link-candidates", views.claim_link_candidates, name="claim_link_candidates"),
    path("claims/<int:pk>/links/new", views.claim_link_create, name="claim_link_create"),
    path("claims/<int:pk>/comments/new", views.claim_comment_create, name="claim_comment_create"),
    path("claims/<int:pk>/publish", views.claim_publish, name="claim_publish"),
    path("claims/<int:pk>/unpublish", views.claim_unpublish, name="claim_unpublish"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.claim_review_public, name="claim_review_public"),
    path("links/<int:pk>/", views.link_detail, name="link_detail"),
    path("links/<int:pk>/delete", views.link_delete, name="link_delete"),
    path("links/<int:pk>/settle", views.link_settle, name="link_settle"),
    path("links/<int:pk>/edit", views.link_edit, name="link_edit"),
    path("links/<int:pk>/comments/new", views.link_comment_create, name="link_comment_create"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/options", views.source_options, name="source_options"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit", views.source_edit, name="source_edit"),
    path("contradictions/", views.contradiction_list, name="contradiction_list"),
    path("contradictions/within", views.self_contradictions, name="self_contradictions"),
    # Stories: the picture (views/stories.py).
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("stories/<int:pk>/graph.json", views.story_graph, name="story_graph"),
    # Stories: making and keeping them, their events, a claim's event and tags (views/story_editing.py).
    path("stories/", views.story_list, name="story_list"),
    path("stories/new", views.story_new, name="story_new"),
    path("stories/<int:pk>/edit", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/articles", views.story_articles, name="story_articles"),
    path("stories/<int:pk>/events/new", views.event_new, name="event_new"),
    path("events/<int:pk>/edit", views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete", views.event_delete, name="event_delete"),
    path("claims/<int:pk>/scope", views.claim_scope, name="claim_scope"),
    # Stories as files (views/exports.py).
    path("stories/<int:pk>/export.csv", views.story_export, {"format": "csv"}, name="story_export_csv"),
    path("stories/<int:pk>/export.json", views.story_export, {"format": "json"}, name="story_export_json"),
    # The review workflow (views/workflow.py).
    path("stories/<int:pk>/board", views.story_board, name="story_board"),
    path("claims/<int:pk>/move", views.claim_move, name="claim_move"),
    path("links/<int:pk>/move", views.link_move, name="link_move"),
    path("claims/<int:pk>/assignment", views.claim_assignment, name="claim_assignment"),
    path("links/<int:pk>/assignment", views.link_assignment, name="link_assignment"),
    path("my/work", views.my_work, name="my_work"),
    # Notifications (views/notifications.py).
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read", views.notifications_read, name="notifications_read"),
    path("notifications/count", views.notification_count, name="notification_count"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("account/tokens", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke", views.api_token_revoke, name="api_token_revoke"),
    path("api/v1/", api_urls()),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
