from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/edit", views.article_edit, name="article_edit"),
    path("articles/<int:pk>/delete", views.article_delete, name="article_delete"),
    path("articles/<int:pk>/claims/new", views.claim_create, name="claim_create"),
    path("claims/", views.claim_list, name="claim_list"),
    path("search/", views.search_page, name="search"),
    path("pick/sources", views.picker_options, {"what": "source"}, name="pick_source"),
    path("pick/outlets", views.picker_options, {"what": "outlet"}, name="pick_outlet"),
    path("pick/articles", views.picker_options, {"what": "article"}, name="pick_article"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/place", views.claim_place, name="claim_place"),
    path("claims/<int:pk>/link-candidates", views.claim_link_candidates, name="claim_link_candidates"),
    path("claims/<int:pk>/links/new", views.claim_link_create, name="claim_link_create"),
    path("claims/<int:pk>/comments/new", views.claim_comment_create, name="claim_comment_create"),
    path("links/<int:pk>/", views.link_detail, name="link_detail"),
    path("links/<int:pk>/delete", views.link_delete, name="link_delete"),
    path("links/<int:pk>/comments/new", views.link_comment_create, name="link_comment_create"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/options", views.source_options, name="source_options"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit", views.source_edit, name="source_edit"),
    path("contradictions/", views.contradiction_list, name="contradiction_list"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
