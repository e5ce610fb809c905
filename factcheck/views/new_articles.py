"""Adding an article from the browser: its text pasted, a text or HTML file, or its web page fetched in the
background. Whichever way, the editor checks and corrects what was found before anything is saved."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ..forms import ArticleCheckForm, NewArticleForm
from ..models import Article, ArticleExists, ArticleFetch, Source
from ..tasks import fetch_article
from .editing import see_other
from .pickers import Picker
from .reading import as_id

PENDING = (ArticleFetch.Status.QUEUED, ArticleFetch.Status.FETCHING, ArticleFetch.Status.EXTRACTING)
STAGES = (ArticleFetch.Status.QUEUED, ArticleFetch.Status.FETCHING, ArticleFetch.Status.EXTRACTING)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.add_article", raise_exception=True)
def article_new(request):
    form = NewArticleForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "articles/new.html", {"form": form})
    if not form.is_valid():
        return render(request, "articles/new.html", {"form": form}, status=422)
    fields = form.article_fields()
    if fields is None:
        url = form.cleaned_data["url"]
        existing = Article.objects.filter(url=url).only("pk", "title").first()
        if existing:
            return render(request, "articles/new.html", {"form": form, "exists": (existing, "URL")}, status=409)
        with transaction.atomic():  # the fetch and its task are queued together, or neither
            fetch = ArticleFetch.objects.create(url=url, requested_by=request.user)
            fetch.task_id = str(fetch_article.enqueue(fetch.pk).id)
            ArticleFetch.objects.filter(pk=fetch.pk).update(task_id=fetch.task_id)
        return see_other(reverse("article_fetch", args=[fetch.pk]))
    twin = Article(**fields).recorded_twin()
    if twin:
        return render(request, "articles/new.html", {"form": form, "exists": twin}, status=409)
    body = fields["body"]
    check = ArticleCheckForm(initial=fields, candidates=Article.objects.sharing_text_with(body))
    return render(request, "articles/new.html", _check_context(check, reverse("article_new_check")))


@require_POST
@permission_required("factcheck.add_article", raise_exception=True)
def article_new_check(request):
    """Save the article checked by the editor (text pasted or a file)."""
    check = _posted_check_form(request)
    article, status, context = _save(request, check, reverse("article_new_check"))
    if article:
        return see_other(article)
    return render(request, "articles/new.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.add_article", raise_exception=True)
@vary_on_headers("HX-Request")
def article_fetch(request, pk):
    """A page being fetched: its progress (polled with htmx, or reloaded), then the article found, to check
    and save; or why it failed."""
    fetches = ArticleFetch.objects.all() if request.user.is_superuser else ArticleFetch.objects.for_user(request.user)
    fetch = get_object_or_404(fetches.select_related("article"), pk=pk)
    action = reverse("article_fetch", args=[fetch.pk])
    context, status = {"fetch": fetch}, 200
    if request.method == "POST" and fetch.status == ArticleFetch.Status.READY:
        article, status, context = _save(request, _posted_check_form(request), action, fetch=fetch)
        if article:
            return see_other(article)
        context["fetch"] = fetch
    elif fetch.status == ArticleFetch.Status.READY:
        context["exists"] = Article(body=fetch.text, url=fetch.final_url or fetch.url).recorded_twin()
        if not context["exists"]:
            context.update(_check_context(_found_form(fetch), action))
    elif request.method == "POST":
        status = 409  # saved meanwhile, or not ready: the page says which
    context["stages"] = _stages(fetch)
    context["pending"] = fetch.status in PENDING
    template = "articles/fetch.html#fetch" if request.htmx and not request.htmx.boosted else "articles/fetch.html"
    return render(request, template, context, status=status)


def _found_form(fetch):
    """The check form filled with what the fetch found; the outlet, when a source has the site's name."""
    outlet = None
    if fetch.site_name:
        outlet = Source.objects.filter(kind=Source.Kind.OUTLET, name__iexact=fetch.site_name).first()
    initial = {
        "title": fetch.title,
        "outlet": outlet,
        "author": fetch.author,
        "url": fetch.final_url or fetch.url,
        "published_on": fetch.published_on,
        "body": fetch.text,
    }
    return ArticleCheckForm(initial=initial, candidates=Article.objects.sharing_text_with(fetch.text))


def _posted_check_form(request):
    return ArticleCheckForm(request.POST, candidates=Article.objects.sharing_text_with(request.POST.get("body", "")))


def _check_context(check, action):
    chosen = as_id(check.data.get("outlet", "")) if check.is_bound else None
    picker = Picker("outlet", "outlet", "Outlet", "None (leave empty)", chosen)
    if not check.is_bound:
        picker.selected = check.initial.get("outlet")  # found already, by the site's name
    return {"check": check, "picker": picker, "check_action": action}


def _save(request, check, action, fetch=None):
    """Record the checked article (and which fetch it came from): (article, 200, None) once saved, else
    (None, status, context) to show the form again with why."""
    if check.is_valid():
        try:
            with transaction.atomic():
                article = Article.add(by=request.user, **check.cleaned_data)
                if fetch is not None:
                    fetch.article, fetch.status = article, ArticleFetch.Status.SAVED
                    fetch.save(update_fields=["article", "status", "updated_at"])
            return article, 200, None
        except ArticleExists as exists:
            return None, 409, {**_check_context(check, action), "exists": (exists.article, exists.what)}
        except ValidationError as error:
            check.add_error(None, error)
    return None, 422, _check_context(check, action)


def _stages(fetch):
    """Each stage of a fetch, with whether it is done, under way, or to come."""
    at = STAGES.index(fetch.status) if fetch.status in STAGES else len(STAGES)
    return [
        {"label": stage.label, "state": "done" if n < at else "current" if n == at else "todo"}
        for n, stage in enumerate(STAGES)
    ]
