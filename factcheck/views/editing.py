"""Answering a change: the redirect after it, and editing a versioned object without lost updates."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from ..models import EditConflict


def see_other(to):
    """After a change, send the browser to the page to see (303, so it GETs it)."""
    response = redirect(to)
    response.status_code = 303
    return response


def edit_versioned(request, obj, form_class):
    """Edit `obj` without losing anyone's work: the save goes through only if nobody saved
    since this editor opened the form. Returns (saved, status, context): on a stale version,
    status 409 and a context holding both versions and a form with this editor's text; a rule
    broken by a colleague's save at the same instant, 409 with the rule's message."""
    form = form_class(request.POST or None, instance=obj)
    if request.method != "POST":
        return False, 200, {"form": form}
    if not form.is_valid():
        return False, 422, {"form": form}
    try:
        form.instance.save_over(form.cleaned_data["version"])
    except EditConflict as error:
        current = error.current
        last_change = current.history.select_related("history_user").first()
        conflict = {
            # Rows written in bulk or before history was kept have no record: "a colleague".
            "by": last_change.history_user if last_change else None,
            "rows": form.changed_fields(current),
        }
        data = request.POST.copy()
        data["version"] = current.version
        return False, 409, {"form": form_class(data, instance=current), "conflict": conflict}
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False, 409, {"form": form}
    return True, 200, {"form": form}
