from django.core.exceptions import ValidationError
from ninja import Router, Status

from .. import history
from ..models import Claim, ClaimLink, EditConflict, LinkExists
from .errors import NOT_VALID, Refused, conflict, invalid, require
from .reading import PageNumber, one, page_of
from .schemas import Id, LinkChange, LinkIn, LinkKind, LinkOut, LinkPage, LinkSettle, LinkStatus, errors

router = Router(tags=["links"])


def _links():
    return ClaimLink.objects.for_list().select_related("status_by", "assignee")


@router.get("/links", response={200: LinkPage, **errors(401, 422)})
def list_links(
    request,
    kind: LinkKind | None = None,
    status: LinkStatus | None = None,
    claim: Id | None = None,
    page: PageNumber = 1,
):
    """Links, newest first; `kind` keeps those of one kind, `status` those proposed, confirmed or rejected,
    `claim` those of one claim (either end)."""
    links = _links()
    if kind:
        links = links.filter(kind=kind)
    if status:
        links = links.filter(status=status)
    if claim:
        links = links.involving(claim)
    return page_of(links, page)


@router.post("/links", response={201: LinkOut, **errors(401, 403, 409, 422)})
def add_link(request, payload: LinkIn):
    """Link two claims (editors): `from_claim` contradicts, supports or repeats `to_claim`. A contradiction
    needs a reason. The same link already there: 422; made by a colleague at the same instant: 409."""
    require(request, "factcheck.add_claimlink")
    claims = Claim.objects.in_bulk([payload.from_claim, payload.to_claim])
    missing = {
        end: ["No claim with this id."] for end in ("from_claim", "to_claim") if getattr(payload, end) not in claims
    }
    if missing:
        raise Refused(422, NOT_VALID, missing)
    try:
        link = claims[payload.from_claim].link(
            claims[payload.to_claim], payload.kind, by=request.user, reason=payload.reason
        )
    except LinkExists as exists:
        raise Refused(409, f"A colleague has just made this same link: link {exists.link.pk}.") from None
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, one(_links(), link.pk, "link"))


@router.get("/links/{id}", response={200: LinkOut, **errors(401, 404, 422)})
def get_link(request, id: Id):
    return one(_links(), id, "link")


@router.patch("/links/{id}", response={200: LinkOut, **errors(401, 403, 404, 409, 422)})
def change_link(request, id: Id, payload: LinkChange):
    """Change a link's kind or reason (editors), keeping its discussion: send the `version` you read.
    Someone saved since: 409."""
    require(request, "factcheck.change_claimlink")
    link = one(ClaimLink.objects.all(), id, "link")
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    try:
        link.change(
            kind=changes.get("kind", link.kind),
            reason=changes.get("reason", link.reason),
            by=request.user,
            seen_version=payload.version,
        )
    except EditConflict:
        raise conflict() from None
    except ValidationError as error:
        raise invalid(error) from None
    return one(_links(), link.pk, "link")


@router.post("/links/{id}/settle", response={200: LinkOut, **errors(401, 403, 404, 409, 422)})
def settle_link(request, id: Id, payload: LinkSettle):
    """Confirm or reject a link, or propose it again (editors), saying why: a rejection needs its `reason`.
    Send the `version` you read: stale, 409."""
    require(request, "factcheck.change_claimlink")
    link = one(ClaimLink.objects.all(), id, "link")
    try:
        link.settle(payload.status, by=request.user, reason=payload.reason, seen_version=payload.version)
    except EditConflict:
        raise conflict() from None
    except ValidationError as error:
        raise invalid(error) from None
    return one(_links(), link.pk, "link")


@router.delete("/links/{id}", response={204: None, **errors(401, 403, 404, 422)})
def delete_link(request, id: Id):
    """Remove a link (editors), with its discussion; an admin can restore both."""
    require(request, "factcheck.delete_claimlink")
    link = one(ClaimLink.objects.all(), id, "link")
    history.delete(link, by=request.user)
    return Status(204, None)
