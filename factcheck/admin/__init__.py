"""The Django admin, one module per feature; importing this registers them all."""

from django.contrib import admin

from ..forms import AdminLoginForm
from . import articles, claims, comments, links, sources, stories  # noqa: F401  (they register their admins)

admin.site.login_form = AdminLoginForm
