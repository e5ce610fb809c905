from django.core.exceptions import ValidationError
from ninja import Router, Status

from ..models import Article, Claim, EditConflict, Source
from ..views.reading import search_words
from .errors import NOT_VALID, Refused, conflict, invalid, require
from .reading import PageNumber, Words, one, page_of
from .schemas import ClaimChange, ClaimIn, ClaimOut, ClaimPage, Id, Verdict, errors

router = Router(tags=["claims"])


@router.get("/claims", response={200: ClaimPage, **errors(401, 422)})
def list_claims(
    request,
    q: Words = "",
    speaker: Id | None = None,
    article: Id | None = None,
    verdict: Verdict | None = None,
    page: PageNumber = 1,
):
    """Claims, newest first, or the best matches of `q` (the newest 1,000 matches of a word ranked, as on
    the claims page); `speaker`, `article` and `verdict` keep those that have them."""
    query = search_words(request.GET, "q")
    claims = Claim.objects.for_list()
    if speaker:
        claims = claims.filter(speaker=speaker)
    if article:
        claims = claims.filter(article=article)
    if verdict:
        claims = claims.filter(verdict=verdict)
    claims = claims.search(query) if query else claims.order_by("-created_at", "-pk")
    return page_of(claims, page)


@router.post("/claims", response={201: ClaimOut, **errors(401, 403, 409, 422)})
def add_claim(request, payload: ClaimIn):
    """Add a claim to an article (editors): its quote must be a passage of the article's text, found at
    `quote_start` or, when it occurs once, wherever it is."""
    require(request, "factcheck.add_claim")
    problems = {}
    statement = payload.statement.strip()
    if not statement:
        problems["statement"] = ["Say what the claim is, in neutral words."]
    speaker = Source.objects.filter(pk=payload.speaker).first()
    if speaker is None:
        problems["speaker"] = ["No source with this id."]
    if not Article.objects.filter(pk=payload.article).exists():
        problems["article"] = ["No article with this id."]
    if problems:
        raise Refused(422, NOT_VALID, problems)
    try:
        claim = Claim.create_in(
            payload.article,
            quote=payload.quote,
            quote_start=payload.quote_start,
            statement=statement,
            claimed_on=payload.claimed_on,
            speaker=speaker,
            created_by=request.user,
        )
    except Article.DoesNotExist:
        raise Refused(409, "A colleague has just deleted this article: the claim could not be added to it.") from None
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, one(Claim.objects.for_list(), claim.pk, "claim"))


@router.get("/claims/{id}", response={200: ClaimOut, **errors(401, 404, 422)})
def get_claim(request, id: Id):
    return one(Claim.objects.for_list(), id, "claim")


@router.patch("/claims/{id}", response={200: ClaimOut, **errors(401, 403, 404, 409, 422)})
def change_claim(request, id: Id, payload: ClaimChange):
    """Change a claim's statement, verdict or note, or place it on a passage of its article again (`quote`,
    and `quote_start` when the passage occurs more than once) (editors): send the `version` you read.
    Someone saved since: 409."""
    require(request, "factcheck.change_claim")
    claim = one(Claim.objects.for_detail(), id, "claim")
    changes = payload.model_dump(exclude_unset=True, exclude={"version", "quote", "quote_start"})
    if "statement" in changes:
        changes["statement"] = changes["statement"].strip()
    for field, value in changes.items():
        setattr(claim, field, value)
    try:
        if "quote" in payload.model_fields_set:
            claim.place_quote(payload.quote or "", payload.quote_start)
        claim.full_clean(exclude=["quote_end"])
    except ValidationError as error:
        raise invalid(error) from None
    claim._history_user = request.user
    try:
        claim.save_over(payload.version)
    except EditConflict:
        raise conflict() from None
    except ValidationError as error:
        raise invalid(error, status=409) from None
    return one(Claim.objects.for_list(), claim.pk, "claim")
