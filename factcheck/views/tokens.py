"""Each user's API tokens: made with a name, listed by name and first characters, revoked."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.tokens import TokenForm
from ..models import ApiToken
from .editing import see_other


def _page(request, form, *, key=None, status=200):
    context = {"tokens": request.user.api_tokens.all(), "form": form, "new_key": key}
    template = "account/tokens.html#tokens" if request.htmx else "account/tokens.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The page lists the user's tokens; a POST makes one. The new key is shown in this one answer, never
    again (only its hash is kept), so a POST is answered with the page itself, not a redirect."""
    form = TokenForm(request.POST or None)
    if request.method != "POST":
        return _page(request, form)
    if form.is_valid():
        try:
            _, key = ApiToken.issue(request.user, form.cleaned_data["name"])
            return _page(request, TokenForm(), key=key)
        except ValidationError as error:
            form.add_error("name", error.message_dict.get("name", error.messages))
    return _page(request, form, status=422)


@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    if not request.htmx:
        messages.success(request, f"Token “{token.name}” revoked: scripts using it are refused from now on.")
        return see_other("api_tokens")
    return _page(request, TokenForm())
