"""Every refusal in one JSON shape, `{"detail": "...", "errors": {"field": ["..."]}}`, whatever refused it:
the token check, a permission, the schema, the model's rules, a colleague's newer version."""

from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from ..models import CONFLICT_MESSAGE, EditConflict

NOT_VALID = "Some fields are not valid: see their messages."


class Refused(HttpError):
    def __init__(self, status, detail, errors=None):
        super().__init__(status, detail)
        self.errors = errors or {}


def require(request, permission):
    """Refuse (403) unless the token's user has `permission`, as the pages' views check."""
    if not request.user.has_perm(permission):
        raise Refused(403, "Your account may not make this change: it can only read.")


def invalid(error, status=422):
    """A model's ValidationError as a refusal: 422 with each field's messages, or `status` (409 for a rule
    broken by a colleague's change at the same instant)."""
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Refused(status, NOT_VALID if status == 422 else " ".join(error.messages), fields)


def save_checked(obj, save):
    """Check the object's rules (422 with each field's messages), then `save()` it: a colleague's newer version, or
    their same name at the same instant, is 409."""
    try:
        obj.full_clean()
    except ModelValidationError as error:
        raise invalid(error) from None
    try:
        save()
    except EditConflict:
        raise conflict() from None
    except ModelValidationError as error:
        raise invalid(error, status=409) from None


def conflict():
    return Refused(409, CONFLICT_MESSAGE)


def not_found(what):
    return Refused(404, f"No {what} with this id.")


def _field_of(location):
    # ("body", "payload", "title") -> "title"; ("query", "page") -> "page"; ("path", "id") -> "id"
    names = [str(part) for part in location[1:] if part != "payload"]
    return ".".join(names) or "body"


def install(api):
    def answer(request, status, detail, errors=None):
        return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request, exc):
        fields = {}
        for error in exc.errors:
            message = error["msg"].removeprefix("Value error, ")
            fields.setdefault(_field_of(error["loc"]), []).append(message)
        return answer(request, 422, NOT_VALID, fields)

    @api.exception_handler(ModelValidationError)
    def model_invalid(request, exc):
        refusal = invalid(exc)
        return answer(request, 422, str(refusal), refusal.errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = answer(request, 401, "Send a valid API token: Authorization: Bearer <token>.")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def refused(request, exc):
        if exc.status_code == 400:
            # The only 400 ninja raises: a body that is not JSON. Bad input, like any other: 422.
            return answer(request, 422, NOT_VALID, {"body": ["Send a JSON object."]})
        return answer(request, exc.status_code, str(exc), getattr(exc, "errors", None))

    @api.exception_handler(Http404)
    def missing(request, exc):
        return answer(request, 404, "Not found.")
