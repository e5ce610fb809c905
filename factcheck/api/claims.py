from django.core.exceptions import ValidationError
from ninja import Router, Status

from ..models import Article, Claim, EditConflict, Source
from ..views.reading import search_words
from .errors import NOT_VALID, Refused, conflict, invalid, require
from .reading import PageNumber, Words, one, page_of
from .schemas import ChainIn, ClaimChange, ClaimIn, ClaimOut, ClaimPage, Id, Verdict, errors

router = Router(tags=["claims"])

# The fields a new claim's page form checks besides its quote, its article and its statement.
NEW_CLAIM_FIELDS = ("kind", "hedge", "claimed_on", "claimed_on_precision", "claimed_until", "claimed_on_basis")


def _claims():
    """Claims as the API shows them: with speaker, article, outlet, attribution chain, event, tags and assignee,
    in fixed queries."""
    return Claim.objects.for_list().with_chain().select_related("event", "assignee").prefetch_related("tags")


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
    claims = _claims()
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
    fields = {name: getattr(payload, name) for name in NEW_CLAIM_FIELDS}
    fields["hedge"], fields["claimed_on_basis"] = fields["hedge"].strip(), fields["claimed_on_basis"].strip()
    try:
        # Kind, hedge and date checked by the model's rules before the claim is placed on its article.
        Claim(statement=statement, speaker=speaker, **fields).full_clean(
            exclude=["article", "quote", "quote_start", "quote_end"], validate_unique=False
        )
        claim = Claim.create_in(
            payload.article,
            quote=payload.quote,
            quote_start=payload.quote_start,
            statement=statement,
            speaker=speaker,
            created_by=request.user,
            **fields,
        )
    except Article.DoesNotExist:
        raise Refused(409, "A colleague has just deleted this article: the claim could not be added to it.") from None
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, one(_claims(), claim.pk, "claim"))


@router.get("/claims/{id}", response={200: ClaimOut, **errors(401, 404, 422)})
def get_claim(request, id: Id):
    return one(_claims(), id, "claim")


@router.patch("/claims/{id}", response={200: ClaimOut, **errors(401, 403, 404, 409, 422)})
def change_claim(request, id: Id, payload: ClaimChange):
    """Change a claim's statement, verdict or note, or place it on a passage of its article again (`quote`,
    and `quote_start` when the passage occurs more than once) (editors): send the `version` you read.
    Someone saved since: 409."""
    require(request, "factcheck.change_claim")
    claim = one(Claim.objects.for_detail(), id, "claim")
    changes = payload.model_dump(exclude_unset=True, exclude={"version", "quote", "quote_start"})
    for field in ("statement", "hedge", "claimed_on_basis"):
        if field in changes:
            changes[field] = changes[field].strip()
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
    return one(_claims(), claim.pk, "claim")


@router.put("/claims/{id}/chain", response={200: ClaimOut, **errors(401, 403, 404, 409, 422)})
def put_chain(request, id: Id, payload: ChainIn):
    """Write a claim's attribution chain whole (editors): its other original speakers (`co_speakers`) and the
    hops that passed it on (`hops`, in order from the original to the article; an empty list: none). A hop that
    changed the words needs its `reason`; no source twice in a row. Send the claim's `version`: stale, 409."""
    require(request, "factcheck.change_claim")
    claim = one(Claim.objects.for_detail(), id, "claim")
    sources = Source.objects.in_bulk({*payload.co_speakers, *(hop.source for hop in payload.hops)})
    articles = Article.objects.defer("body").in_bulk({hop.article for hop in payload.hops if hop.article})
    problems = {}
    unknown = [str(pk) for pk in payload.co_speakers if pk not in sources]
    if unknown:
        problems["co_speakers"] = [f"No source with the id {', '.join(unknown)}."]
    for number, hop in enumerate(payload.hops):
        if hop.source not in sources:
            problems[f"hops.{number}.source"] = ["No source with this id."]
        if hop.article and hop.article not in articles:
            problems[f"hops.{number}.article"] = ["No article with this id."]
    if problems:
        raise Refused(422, NOT_VALID, problems)
    hops = [
        {
            "source": sources[hop.source],
            "manner": hop.manner,
            "reason": hop.reason,
            "url": hop.url.strip(),
            "article": articles.get(hop.article),
        }
        for hop in payload.hops
    ]
    try:
        claim.set_chain(
            [sources[pk] for pk in payload.co_speakers], hops, by=request.user, seen_version=payload.version
        )
    except EditConflict:
        raise conflict() from None
    except ValidationError as error:
        raise invalid(error) from None
    return one(_claims(), claim.pk, "claim")
