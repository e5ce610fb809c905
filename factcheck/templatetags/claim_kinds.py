"""A claim's kind and date in the newsroom's words: "May 2019", "1–3 May 2019", "Opinion"."""

from django import template
from django.utils.dateformat import format as format_date

from ..models import Claim

register = template.Library()

# The short words a list shows beside a claim that is not a factual statement.
KIND_TAGS = {
    Claim.Kind.OPINION: "Opinion",
    Claim.Kind.PREDICTION: "Prediction",
    Claim.Kind.COUNTERFACTUAL: "Counterfactual",
    Claim.Kind.LABEL: "Label or framing",
}


def date_display(claim):
    """When the claim was made, as precisely as the text says it: "3 May 2019", "May 2019", "2019", a range
    "1–3 May 2019", "30 April – 2 May 2019", "30 December 2018 – 2 January 2019"; "" without a date. A month
    or a year is stored as its first day."""
    start, end, precision = claim.claimed_on, claim.claimed_until, claim.claimed_on_precision
    if start is None:
        return ""
    if precision == Claim.DatePrecision.YEAR:
        return format_date(start, "Y")
    if precision == Claim.DatePrecision.MONTH:
        return format_date(start, "F Y")
    if precision != Claim.DatePrecision.RANGE or end is None or end == start:
        return format_date(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{format_date(start, 'j')}–{format_date(end, 'j F Y')}"
    if start.year == end.year:
        return f"{format_date(start, 'j F')} – {format_date(end, 'j F Y')}"
    return f"{format_date(start, 'j F Y')} – {format_date(end, 'j F Y')}"


@register.filter
def claimed_when(claim):
    return date_display(claim)


@register.filter
def kind_tag(claim):
    """The short word for a claim that is not a factual statement ("Opinion"), "" for a factual one."""
    return KIND_TAGS.get(claim.kind, "")
