from django.core.exceptions import ValidationError
from ninja import Router, Status

from ..models import Article, ArticleExists, EditConflict, Source
from ..views.articles import filtered_articles
from .errors import Refused, conflict, invalid, require
from .reading import PageNumber, Words, one, page_of
from .schemas import ArticleChange, ArticleIn, ArticleOut, ArticlePage, Id, errors

router = Router(tags=["articles"])


def _outlet(pk):
    # As the article form offers them: only sources of kind "outlet".
    outlet = Source.objects.filter(pk=pk, kind=Source.Kind.OUTLET).first()
    if outlet is None:
        raise Refused(422, "Some fields are not valid: see their messages.", {"outlet": ["No outlet with this id."]})
    return outlet


@router.get("/articles", response={200: ArticlePage, **errors(401, 422)})
def list_articles(request, q: Words = "", outlet: Id | None = None, page: PageNumber = 1):
    """Articles, newest first, or the best matches of `q`; `outlet` keeps those of one outlet. The article
    list page's own filter reads the same parameters."""
    articles, _filters = filtered_articles(request)
    return page_of(articles, page)


@router.post("/articles", response={201: ArticleOut, **errors(401, 403, 409, 422)})
def add_article(request, payload: ArticleIn):
    """Record a new article (editors). Its text or URL already recorded: 409, naming that article."""
    require(request, "factcheck.add_article")
    fields = payload.model_dump()
    fields["outlet"] = _outlet(fields["outlet"]) if fields["outlet"] else None
    try:
        article = Article.add(by=request.user, **fields)
    except ArticleExists as exists:
        field = "body" if exists.what == "text" else "url"
        message = f"This {exists.what} is already recorded as article {exists.article.pk}."
        raise Refused(409, message, {field: [message]}) from None
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, article)


@router.get("/articles/{id}", response={200: ArticleOut, **errors(401, 404, 422)})
def get_article(request, id: Id):
    return one(Article.objects.for_detail(), id, "article")


@router.patch("/articles/{id}", response={200: ArticleOut, **errors(401, 403, 404, 409, 422)})
def change_article(request, id: Id, payload: ArticleChange):
    """Change an article (editors): send the `version` you read and the fields to change. Someone saved
    since: 409. A new text keeps each claim on its quote, moves it, or orphans it, as the edit page does."""
    require(request, "factcheck.change_article")
    article = one(Article.objects.for_detail(), id, "article")
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if changes.get("outlet"):
        changes["outlet"] = _outlet(changes["outlet"])
    for field, value in changes.items():
        setattr(article, field, value)
    try:
        article.full_clean(exclude=["content_hash"])
    except ValidationError as error:
        raise invalid(error) from None
    article._history_user = request.user
    try:
        article.save_over(payload.version)
    except EditConflict:
        raise conflict() from None
    except ValidationError as error:
        raise invalid(error, status=409) from None
    return article
