"""A small story with a dispute in it, for the story page's tests: two camps, Guaidó's and Maduro's.

Camp "Guaidó": g1 (Guaidó), p1 (Pompeo) supports g1. Camp "Maduro": m1 (Maduro), l1 (Lavrov) supports m1 (proposed),
m2 (Maduro, joined by its speaker). g1 contradicts m1 (confirmed), p1 contradicts l1 (proposed); g1 in tension with m2
was rejected. m1 contradicts x1, a claim of an article outside the story. u1 (Lavrov) is in an undated article.
"""

import datetime
from dataclasses import dataclass

from factcheck.models import Article, Claim, ClaimLink, Event, Source, Story, StoryArticle

BODY = "Guaidó: the army is with us. Pompeo: Maduro was ready to leave. Maduro: the coup failed. Lavrov: no plane."


@dataclass
class DisputedStory:
    story: Story
    articles: dict
    speakers: dict
    claims: dict
    links: dict
    event: Event


def claim_in(article, speaker, quote, **fields):
    start = article.body.index(quote)
    return Claim.objects.create(
        article=article,
        quote=quote,
        quote_start=start,
        statement=f"{speaker.name} says {quote}",
        speaker=speaker,
        **fields,
    )


def make_disputed_story(by=None, title="Venezuela, 30 April"):
    """The story, its articles (bodies told apart by their titles), speakers, claims, links and event."""
    reuters = Source.objects.create(name="Reuters", kind=Source.Kind.OUTLET)
    tass = Source.objects.create(name="TASS", kind=Source.Kind.OUTLET)
    speakers = {
        name: Source.objects.get_or_create(name=name, kind=Source.Kind.PERSON)[0]
        for name in ("Juan Guaidó", "Mike Pompeo", "Nicolás Maduro", "Sergey Lavrov")
    }
    guaido, pompeo, maduro, lavrov = speakers.values()
    articles = {
        "reuters": Article.objects.create(
            title="Uprising", body=f"Uprising. {BODY}", outlet=reuters, published_on="2019-05-01"
        ),
        "tass": Article.objects.create(
            title="Coup failed", body=f"Coup failed. {BODY}", outlet=tass, published_on="2019-05-02"
        ),
        "undated": Article.objects.create(title="Undated note", body=f"Undated note. {BODY}", outlet=tass),
        "outside": Article.objects.create(
            title="Outside", body=f"Outside. {BODY}", outlet=reuters, published_on="2019-06-01"
        ),
    }
    story = Story.objects.create(title=title, summary="Who said what about the uprising.", created_by=by)
    for key in ("reuters", "tass", "undated"):
        StoryArticle.objects.create(story=story, article=articles[key], added_by=by)
    event = Event.objects.create(story=story, name="30 April uprising", starts_on=datetime.date(2019, 4, 30))
    april_30 = datetime.date(2019, 4, 30)
    claims = {
        "g1": claim_in(articles["reuters"], guaido, "the army is with us", claimed_on=april_30, event=event),
        "p1": claim_in(articles["reuters"], pompeo, "Maduro was ready to leave"),
        "m1": claim_in(articles["tass"], maduro, "the coup failed", claimed_on=april_30),
        "l1": claim_in(articles["tass"], lavrov, "no plane"),
        "m2": claim_in(articles["tass"], maduro, "the army is with us"),
        "u1": claim_in(articles["undated"], lavrov, "no plane"),
        "x1": claim_in(articles["outside"], maduro, "no plane"),
    }
    c = claims
    links = {
        "p1>g1": c["p1"].link(c["g1"], ClaimLink.Kind.SUPPORTS),
        "l1>m1": c["l1"].link(c["m1"], ClaimLink.Kind.SUPPORTS),
        "g1-m1": c["g1"].link(c["m1"], ClaimLink.Kind.CONTRADICTS, reason="Who holds the army"),
        "p1-l1": c["p1"].link(c["l1"], ClaimLink.Kind.CONTRADICTS, reason="The plane"),
        "g1-m2": c["g1"].link(c["m2"], ClaimLink.Kind.IN_TENSION, reason="Loyalty"),
        "m1-x1": c["m1"].link(c["x1"], ClaimLink.Kind.CONTRADICTS, reason="Outside the story"),
    }
    links["g1-m1"].settle(ClaimLink.Status.CONFIRMED, seen_version=links["g1-m1"].version)
    links["g1-m2"].settle(ClaimLink.Status.REJECTED, reason="Not the same army", seen_version=links["g1-m2"].version)
    return DisputedStory(story, articles, speakers, claims, links, event)
