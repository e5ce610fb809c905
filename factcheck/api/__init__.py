"""The API at /api/v1/: articles, claims, sources, links, comments, stories and the review workflow, read
and written with a token (`Authorization: Bearer <key>`), with the pages' permissions; every write goes
through the same model method as the pages. The OpenAPI schema is generated from the schemas' type hints
(`openapi.json`), and the interactive docs (`docs`) load their scripts from this site's static files."""

from ninja import NinjaAPI

from . import articles, claims, comments, errors, links, sources, stories, workflow
from .auth import TokenAuth

api = NinjaAPI(
    title="factcheck API",
    version="1",
    description="Articles, claims, sources, links, comments, stories and the review. "
    "Send `Authorization: Bearer <token>`; make a token on your account's API tokens page. "
    "Updates carry the `version` read: a stale one gets 409.",
    urls_namespace="api",
    auth=TokenAuth(),
)
errors.install(api)
for resource in (articles, claims, sources, links, comments, stories, workflow):
    api.add_router("", resource.router)


def urls():
    """The API's URL patterns. The operations take a token, not the login session, and the schema is open
    to tools; the docs page stays behind the login, like every page."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name not in ("openapi-view", "api-root"):
            pattern.callback.login_required = False
    return patterns, app_name, namespace
