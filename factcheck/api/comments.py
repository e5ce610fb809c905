from django.core.exceptions import ValidationError
from ninja import Router, Status

from ..models import Claim, ClaimLink, Comment
from .errors import invalid, require
from .reading import one
from .schemas import CommentIn, CommentOut, Id, errors

router = Router(tags=["comments"])


def _post(request, target, payload):
    require(request, "factcheck.add_comment")
    try:
        comment = Comment.post(target, payload.body, by=request.user)
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, comment)


@router.get("/claims/{id}/comments", response={200: list[CommentOut], **errors(401, 404, 422)})
def list_claim_comments(request, id: Id):
    """A claim's discussion, oldest first."""
    return one(Claim.objects.all(), id, "claim").comments.for_list()


@router.post("/claims/{id}/comments", response={201: CommentOut, **errors(401, 403, 404, 422)})
def add_claim_comment(request, id: Id, payload: CommentIn):
    return _post(request, one(Claim.objects.all(), id, "claim"), payload)


@router.get("/links/{id}/comments", response={200: list[CommentOut], **errors(401, 404, 422)})
def list_link_comments(request, id: Id):
    """A link's discussion, oldest first."""
    return one(ClaimLink.objects.all(), id, "link").comments.for_list()


@router.post("/links/{id}/comments", response={201: CommentOut, **errors(401, 403, 404, 422)})
def add_link_comment(request, id: Id, payload: CommentIn):
    return _post(request, one(ClaimLink.objects.all(), id, "link"), payload)
