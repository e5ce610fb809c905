"""The team's review: a story's board, moving cards, handing out claims and links, my work."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ..forms.workflow import AssignmentForm, MoveForm, name_of, reviewers
from ..models import Claim, ClaimLink, EditConflict, Notification, ReviewStatus, Story
from ..models.workflow import short
from .editing import see_other
from .reading import as_id, wants_results

NOTIFICATIONS_SHOWN = 5


def _claim(pk):
    return get_object_or_404(Claim.objects.select_related("assignee"), pk=pk)


def _link(pk):
    return get_object_or_404(ClaimLink.objects.select_related("assignee", "from_claim", "to_claim"), pk=pk)


def _fresh(item):
    return _link(item.pk) if _kind(item) == "link" else _claim(item.pk)


def _day(date):
    return f"{date.day} {date:%B %Y}"


def _kind(item):
    return "link" if item._meta.model_name == "claimlink" else "claim"


def _in_order(items):
    """Cards in a column: the earliest due first (so the overdue), then those without a date; claims before links."""
    return sorted(
        items,
        key=lambda item: (
            item.due_on is None,
            item.due_on or datetime.date.min,
            item._meta.model_name == "claimlink",
            item.pk,
        ),
    )


def _by_status(items, statuses=ReviewStatus.choices):
    items = _in_order(items)
    return [(value, label, [item for item in items if item.review_status == value]) for value, label in statuses]


# The board


def _assignee_filter(data, user):
    """The board's filter as chosen ("" everyone, "me", "none" or a user id) and its condition."""
    chosen = data.get("assignee", "")
    if chosen == "me":
        return chosen, Q(assignee=user)
    if chosen == "none":
        return chosen, Q(assignee__isnull=True)
    pk = as_id(chosen)
    if pk is not None:
        return str(pk), Q(assignee_id=pk)
    return "", Q()


def _board_url(story, chosen):
    url = reverse("story_board", args=[story.pk])
    return f"{url}?{urlencode({'assignee': chosen})}" if chosen else url


def board_context(request, story, data, **shown):
    """A story's board: its claims and links in the four columns, filtered by assignee; four queries."""
    chosen, where = _assignee_filter(data, request.user)
    claims = story.claims().filter(where).select_related("assignee", "article").defer("article__body")
    links = story.links().filter(where).select_related("assignee", "from_claim", "to_claim")
    cards = [*claims, *links]
    return {
        "story": story,
        "columns": _by_status(cards),
        "card_count": len(cards),
        "assignee": chosen,
        "reviewers": reviewers(),
        "board_url": _board_url(story, chosen),
        **shown,
    }


def _board(request, story, data, *, status=200, **shown):
    context = board_context(request, story, data, **shown)
    template = "workflow/board.html#board" if wants_results(request) else "workflow/board.html"
    return render(request, template, context, status=status)


@require_GET
@vary_on_headers("HX-Request")
def story_board(request, pk):
    """Who reviews what in a story, column by column; editors move the cards, viewers read them."""
    return _board(request, get_object_or_404(Story, pk=pk), request.GET)


# Moving a card


@require_POST
@permission_required("factcheck.change_claim", raise_exception=True)
def claim_move(request, pk):
    return _move(request, _claim(pk))


@require_POST
@permission_required("factcheck.change_claimlink", raise_exception=True)
def link_move(request, pk):
    return _move(request, _link(pk))


def _move(request, item):
    """Move `item` to the column posted, over the version seen; then the board it was moved on (`story`), or the
    item's review block on its own page."""
    story_id = request.POST.get("story")
    story = get_object_or_404(Story, pk=as_id(story_id) or 0) if story_id is not None else None
    form = MoveForm(request.POST, item=item)
    status, problem, done = 200, None, None
    if not form.is_valid():
        status, problem = 422, " ".join(message for errors in form.errors.values() for message in errors)
    else:
        to, seen = form.cleaned_data["status"], form.cleaned_data["version"]
        label = ReviewStatus(to).label
        try:
            with transaction.atomic():
                if item.version != seen:
                    raise EditConflict(item)
                if to == item.review_status:
                    done = f"“{short(item, 60)}” is already in {label}."
                else:
                    item.move(to, by=request.user, seen_version=seen)
                    done = f"Moved “{short(item, 60)}” to {label}."
        except EditConflict as conflict:
            status, problem = 409, _changed_meanwhile(item, conflict.current, seen)
        except Claim.DoesNotExist as deleted:
            raise Http404(str(deleted)) from deleted
        except ValidationError as refused:
            status, problem = 422, " ".join(refused.messages)
    if story is not None:
        if not request.htmx and problem is None:
            messages.success(request, done)
            return see_other(_board_url(story, _assignee_filter(request.POST, request.user)[0]))
        return _board(
            request,
            story,
            request.POST,
            status=status,
            moved=f"{_kind(item)}-{item.pk}",
            problem=problem,
            done=done,
            oob=bool(request.htmx),
        )
    if not request.htmx and problem is None:
        messages.success(request, done)
        return see_other(item)
    return _review_block(request, _fresh(item), status=status, problem=problem, done=done)


def _changed_meanwhile(item, current, seen):
    record = current.history.select_related("history_user").first()
    who = name_of(record.history_user) if record and record.history_user else "A colleague"
    return (
        f"{who} changed “{short(current, 60)}” since you loaded this page (you saw version {seen}; it is now "
        f"version {current.version}, in {current.get_review_status_display()}). Nothing was moved: the board shows "
        "it as it is now; move it again if you still mean to."
    )


# Handing out the review


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claim", raise_exception=True)
@vary_on_headers("HX-Request")
def claim_assignment(request, pk):
    return _assignment(request, _claim(pk))


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claimlink", raise_exception=True)
@vary_on_headers("HX-Request")
def link_assignment(request, pk):
    return _assignment(request, _link(pk))


def _next_page(request):
    wanted = request.POST.get("next", request.GET.get("next", ""))
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=False)
    return wanted if wanted and safe else ""


def _assignment(request, item):
    """Who has the review of `item`, by when: the form (GET), then `assign` over the version seen (POST)."""
    if request.method == "GET":
        return _review_block(request, item, form=AssignmentForm(item=item))
    form = AssignmentForm(request.POST, item=item)
    if not form.is_valid():
        return _review_block(request, item, form=form, status=422)
    try:
        with transaction.atomic():
            form.save(by=request.user)
    except EditConflict:
        current = _fresh(item)
        conflict = _assignment_conflict(form.cleaned_data, current)
        data = request.POST.copy()
        data["version"] = current.version
        return _review_block(request, current, form=AssignmentForm(data, item=current), status=409, conflict=conflict)
    except ValidationError as refused:
        form.add_error(None, refused.messages)
        return _review_block(request, _fresh(item), form=form, status=409)
    item = _fresh(item)
    who = name_of(item.assignee) if item.assignee else "nobody"
    done = f"Assigned to {who}" + (f", due {_day(item.due_on)}." if item.due_on else ", no due date.")
    if not request.htmx:
        messages.success(request, done)
        return see_other(_next_page(request) or item.get_absolute_url())
    return _review_block(request, item, done=done)


def _assignment_conflict(mine, current):
    record = current.history.select_related("history_user").first()

    def shown(assignee, due_on):
        return f"{name_of(assignee) if assignee else 'nobody'}, {f'due {_day(due_on)}' if due_on else 'no date'}"

    return {
        "by": record.history_user if record else None,
        "theirs": shown(current.assignee, current.due_on),
        "mine": shown(mine["assignee"], mine["due_on"]),
        "seen": mine["version"],
        "version": current.version,
    }


def _review_block(request, item, *, status=200, **shown):
    """The review block (status, assignee, due date, and the forms to change them) of a claim or a link: alone for
    htmx, else on a page of its own (the form without JavaScript, or what went wrong)."""
    context = {"item": item, "next": _next_page(request), **shown}
    template = "_includes/assignment.html#assignment" if request.htmx else "workflow/assignment.html"
    return render(request, template, context, status=status)


# My work


@require_GET
def my_work(request):
    """The claims and links assigned to me, column by column, the earliest due (so the overdue) first; and the
    newest notifications. Three queries."""
    claims = Claim.objects.filter(assignee=request.user).select_related("article").defer("article__body")
    links = ClaimLink.objects.filter(assignee=request.user).select_related("from_claim", "to_claim")
    items = [*claims, *links]
    notifications = Notification.objects.filter(recipient=request.user).for_list()[:NOTIFICATIONS_SHOWN]
    context = {"groups": _by_status(items), "item_count": len(items), "notifications": notifications}
    return render(request, "workflow/my_work.html", context)
