from ninja import Router, Status

from ..models import Source
from ..views.sources import filtered_sources
from .errors import NOT_VALID, Refused, require, save_checked
from .reading import PageNumber, Words, one, page_of
from .schemas import Id, SourceChange, SourceIn, SourceKind, SourceOut, SourcePage, errors

router = Router(tags=["sources"])


def _affiliation(pk):
    found = Source.objects.filter(pk=pk).first()
    if found is None:
        raise Refused(422, NOT_VALID, {"affiliation": ["No source with this id."]})
    return found


@router.get("/sources", response={200: SourcePage, **errors(401, 422)})
def list_sources(request, q: Words = "", kind: SourceKind | None = None, page: PageNumber = 1):
    """Sources by name, those whose name starts with `q` first; `kind` keeps those of one kind. The source
    list page's own filter reads the same parameters."""
    sources, _filters = filtered_sources(request)
    return page_of(sources, page)


@router.post("/sources", response={201: SourceOut, **errors(401, 403, 409, 422)})
def add_source(request, payload: SourceIn):
    """Add a source (editors). One of the same name and kind already there: 422."""
    require(request, "factcheck.add_source")
    fields = payload.model_dump()
    fields["affiliation"] = _affiliation(fields["affiliation"]) if fields["affiliation"] else None
    fields["name"] = " ".join(fields["name"].split())
    source = Source(created_by=request.user, **fields)
    source._history_user = request.user
    save_checked(source, source.save_checked)
    return Status(201, source)


@router.get("/sources/{id}", response={200: SourceOut, **errors(401, 404, 422)})
def get_source(request, id: Id):
    return one(Source.objects.for_detail(), id, "source")


@router.patch("/sources/{id}", response={200: SourceOut, **errors(401, 403, 404, 409, 422)})
def change_source(request, id: Id, payload: SourceChange):
    """Change a source (editors): send the `version` you read. Someone saved since: 409."""
    require(request, "factcheck.change_source")
    source = one(Source.objects.for_detail(), id, "source")
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if changes.get("affiliation"):
        changes["affiliation"] = _affiliation(changes["affiliation"])
    for field, value in changes.items():
        setattr(source, field, value)
    source._history_user = request.user
    save_checked(source, lambda: source.save_over(payload.version))
    return source
