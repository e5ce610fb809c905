"""A claim's attribution chain: shown on the claim page, built or changed in place by an editor."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from ..forms.chains import ChainForm
from ..models import Claim, EditConflict
from .editing import see_other
from .pickers import Picker


def provenance_context(claim):
    """What the claim page's Provenance section shows (the claim read `with_chain()`: no query per hop)."""
    hops = claim.chain()
    speakers = claim.speakers()
    return {"claim": claim, "hops": hops, "speakers": speakers, "chain_line": claim.chain_line(hops, speakers)}


@require_http_methods(["GET", "POST"])
@permission_required("factcheck.change_claim", raise_exception=True)
@vary_on_headers("HX-Request")
def claim_chain(request, pk):
    """The chain form: each button but "Save chain" sends it back with its change (a hop added, removed,
    moved; names found), nothing saved; "Save chain" saves it whole through `Claim.set_chain`."""
    claim = get_object_or_404(Claim.objects.for_detail().with_chain(), pk=pk)
    if request.method == "GET":
        return _form_page(request, claim, ChainForm(claim))
    form = ChainForm(claim, request.POST)
    action = request.POST.get("action", "")
    if action != "save":
        form.change(action)
        return _form_page(request, claim, form, action=action)
    if not form.is_valid():
        return _form_page(request, claim, form, status=422)
    try:
        claim.set_chain(form.chosen_co_speakers(), form.chosen_hops(), by=request.user, seen_version=form.version)
    except EditConflict as error:
        return _conflict(request, claim, form, error.current)
    except ValidationError as error:
        form.errors += error.messages
        return _form_page(request, claim, form, status=422)
    if not request.htmx:
        messages.success(request, "Chain saved.")
        return see_other(f"{claim.get_absolute_url()}#provenance")
    claim = Claim.objects.for_detail().with_chain().get(pk=pk)
    return render(request, "claims/chain.html#provenance", {**provenance_context(claim), "just_saved": True})


def _conflict(request, claim, form, current):
    """A colleague saved the claim since this form was opened: their chain beside what was typed, the form
    kept as typed and carrying their version, so a second save means "mine, having seen theirs"."""
    last_change = current.history.select_related("history_user").first()
    saved = Claim.objects.for_detail().with_chain().get(pk=current.pk)
    conflict = {"by": last_change.history_user if last_change else None, "theirs": saved.chain_line()}
    conflict["mine"] = form.typed_line()
    form.version = current.version
    return _form_page(request, claim, form, status=409, conflict=conflict)


def _form_page(request, claim, form, *, action="", status=200, conflict=None):
    context = {"claim": claim, "form": form, "conflict": conflict, **_rows(form, action)}
    template = "claims/chain.html#chain-form" if request.htmx else "claims/chain.html"
    return render(request, template, context, status=status)


def _rows(form, action):
    """The rows as shown: numbered from 1 in their order, each with its pickers (names found as typed), and
    where the keyboard focus goes after the change asked for."""
    co_rows, hop_rows, focus = [], [], None
    for number, row in enumerate(form.co_speakers, start=1):
        picker = _picker("source", f"co-{number}", f"Co-speaker {number}", "(choose)", row.source, row.find)
        co_rows.append({"number": number, "row": row, "picker": picker})
        focus = focus or (f"pick-co-{number}" if row.find else None)
    for number, row in enumerate(form.hops, start=1):
        source = _picker("source", f"hop-{number}-source", "Who passed it on", "(choose)", row.source, row.source_find)
        article = _picker(
            "article", f"hop-{number}-article", "Report in this corpus", "None", row.article, row.article_find
        )
        heading = f"hop-{number}-heading"
        hop_rows.append({"number": number, "row": row, "source": source, "article": article, "heading_id": heading})
        focus = focus or (source.select_id if row.source_find else article.select_id if row.article_find else None)
    kind, _, number = action.rpartition("-")
    if not form.is_bound:
        focus = "pick-hop-1-source-find" if hop_rows else "add-hop"
    elif action == "add-hop" and hop_rows:
        focus = f"pick-hop-{len(hop_rows)}-source-find"
    elif action == "add-co" and co_rows:
        focus = f"pick-co-{len(co_rows)}-find"
    elif kind in ("up", "down") and number.isdigit():
        moved = int(number) + (-1 if kind == "up" else 1)
        focus = f"hop-{moved}-heading" if 1 <= moved <= len(hop_rows) else None
    elif kind in ("remove-hop", "remove-co"):
        focus = "add-hop" if kind == "remove-hop" else "add-co"
    return {"co_rows": co_rows, "hop_rows": hop_rows, "focus": focus}


def _picker(what, name, label, any_label, selected, words):
    picker = Picker(what, name, label, any_label)
    picker.selected = selected  # read with the form, in one query for all rows
    picker.select_id, picker.find_id = f"pick-{name}", f"pick-{name}-find"
    if words:
        picker.find(words)
    return picker
