from ninja.security import HttpBearer

from ..models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: the request acts as the token's user, with that user's permissions.
    A session cookie alone is no credential here, so a page cannot be tricked into writing (no CSRF)."""

    def authenticate(self, request, token):
        found = ApiToken.objects.for_key(token)
        if found is None:
            return None
        found.record_use()
        # The history of every change made through the API names this user.
        request.user = found.user
        return found
