from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def article_text(segments):
    """The article's text with its claims highlighted (Article.highlighted), written in Python: the same
    markup as a template loop, but a text with hundreds of claims renders in a millisecond, not twenty."""
    out = []
    for segment in segments:
        claim = segment["claim"]
        text = escape(segment["text"])
        if claim:
            verdict = escape(claim.verdict)
            out.append(f'<mark class="claim-mark verdict-{verdict}" data-claim="{claim.pk}">{text}</mark>')
        else:
            out.append(text)
        for ending in segment["ending"]:
            links = getattr(ending, "link_count", 0)
            label = escape(
                f"Claim {ending.number}: {ending.get_verdict_display()}, {links} link{'' if links == 1 else 's'}"
            )
            out.append(
                f'<a class="claim-ref" data-not-text href="{ending.get_absolute_url()}" title="{label}" '
                f'aria-label="{label}">{ending.number}</a>'
            )
    return mark_safe("".join(out))
