from django.core.exceptions import ValidationError
from ninja import Router

from ..forms.workflow import reviewers
from ..models import Claim, ClaimLink, EditConflict, Notification
from .claims import _claims
from .errors import NOT_VALID, Refused, conflict, invalid, require
from .links import _links
from .reading import PageNumber, one, page_of
from .schemas import Assignment, ClaimOut, Id, LinkOut, Move, NotificationPage, NotificationsRead, errors

router = Router(tags=["review"])


def _assignee(username):
    """The user named, if the review may be handed to them (the same colleagues the pages offer); None: nobody."""
    if username is None:
        return None
    user = reviewers().filter(username=username).first()
    if user is None:
        raise Refused(422, NOT_VALID, {"assignee": ["No editor with this username."]})
    return user


def _assign(request, obj, payload):
    try:
        obj.assign(_assignee(payload.assignee), due_on=payload.due_on, by=request.user, seen_version=payload.version)
    except EditConflict:
        raise conflict() from None
    except ValidationError as error:
        raise invalid(error, status=409) from None


def _move(request, obj, payload):
    try:
        obj.move(payload.review_status, by=request.user, seen_version=payload.version)
    except EditConflict:
        raise conflict() from None
    except ValidationError as error:
        raise invalid(error) from None


@router.put("/claims/{id}/assignment", response={200: ClaimOut, **errors(401, 403, 404, 409, 422)})
def assign_claim(request, id: Id, payload: Assignment):
    """Hand a claim's review to an editor by a date (editors); they are notified. Send the claim's `version`."""
    require(request, "factcheck.change_claim")
    claim = one(Claim.objects.for_detail(), id, "claim")
    _assign(request, claim, payload)
    return one(_claims(), claim.pk, "claim")


@router.post("/claims/{id}/move", response={200: ClaimOut, **errors(401, 403, 404, 409, 422)})
def move_claim(request, id: Id, payload: Move):
    """Move a claim on its story's board (editors): into `published` publishes its review (it needs a verdict),
    out of it unpublishes. Send the claim's `version`."""
    require(request, "factcheck.change_claim")
    claim = one(Claim.objects.for_detail(), id, "claim")
    _move(request, claim, payload)
    return one(_claims(), claim.pk, "claim")


@router.put("/links/{id}/assignment", response={200: LinkOut, **errors(401, 403, 404, 409, 422)})
def assign_link(request, id: Id, payload: Assignment):
    """Hand a link's review to an editor by a date (editors); they are notified. Send the link's `version`."""
    require(request, "factcheck.change_claimlink")
    link = one(ClaimLink.objects.all(), id, "link")
    _assign(request, link, payload)
    return one(_links(), link.pk, "link")


@router.post("/links/{id}/move", response={200: LinkOut, **errors(401, 403, 404, 409, 422)})
def move_link(request, id: Id, payload: Move):
    """Move a link on its story's board (editors); a link is never published (422). Send the link's `version`."""
    require(request, "factcheck.change_claimlink")
    link = one(ClaimLink.objects.all(), id, "link")
    _move(request, link, payload)
    return one(_links(), link.pk, "link")


@router.get("/notifications", response={200: NotificationPage, **errors(401, 422)})
def list_notifications(request, unread: bool = False, page: PageNumber = 1):
    """Your notifications, newest first (`unread`: those not read yet), with how many are unread."""
    mine = Notification.objects.filter(recipient=request.user).for_list()
    listed = page_of(mine.unread() if unread else mine, page)
    return listed | {"unread": mine.unread().count()}


@router.post("/notifications/read", response={200: NotificationPage, **errors(401, 422)})
def read_notifications(request, payload: NotificationsRead):
    """Mark your notifications read: those of `ids`, or all."""
    Notification.mark_read(request.user, payload.ids)
    return list_notifications(request)
