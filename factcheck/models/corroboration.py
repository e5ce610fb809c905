"""Corroboration counted honestly: how many independent original sources support a claim, and how many of
its supporting claims are echoes of one (the same original told again through other outlets)."""

from dataclasses import dataclass, field

from django.db.models import Q


@dataclass(frozen=True)
class Corroboration:
    """`groups`: each independent original (its speakers, in order) with the supporting claims that go back
    to it; `own`: the supporting claims that go back to the claim's own original, which corroborate nothing."""

    groups: dict = field(default_factory=dict)
    own: list = field(default_factory=list)

    @property
    def independent(self):
        return len(self.groups)

    @property
    def echoes(self):
        """Supporting claims beyond the first of each independent original, and all of the claim's own."""
        return sum(len(claims) - 1 for claims in self.groups.values()) + len(self.own)

    @property
    def supporting(self):
        return sum(len(claims) for claims in self.groups.values()) + len(self.own)


def corroboration_of(claim):
    """The claims supporting `claim` (a "supports" link into it, "repeats" at either end, "relays" either
    way; rejected links left out), grouped by their original: the speaker and co-speakers, two claims sharing
    one of them going back to the same original. A claim relaying another is that claim told again: the same
    original, whoever its speaker is recorded as. Three queries, whatever the data."""
    from .chains import CoSpeaker
    from .links import ClaimLink, LinkKind, LinkStatus

    links = (
        ClaimLink.objects.exclude(status=LinkStatus.REJECTED)
        .filter(
            Q(kind=LinkKind.SUPPORTS, to_claim=claim)
            | Q(kind__in=[LinkKind.REPEATS, LinkKind.RELAYS]) & (Q(from_claim=claim) | Q(to_claim=claim))
        )
        .select_related("from_claim__speaker", "from_claim__article__outlet", "to_claim__speaker")
        .select_related("to_claim__article__outlet")
        .defer("from_claim__article__body", "to_claim__article__body")
        .order_by("pk")
    )
    supporting = {}
    relayed = set()
    for link in links:
        other = link.other(claim)
        supporting.setdefault(other.pk, other)
        if link.kind == LinkKind.RELAYS:
            relayed.add(other.pk)
    ids = [claim.pk, *supporting]
    speakers = {pk: [found.speaker] for pk, found in supporting.items()}
    speakers[claim.pk] = [claim.speaker]
    for row in CoSpeaker.objects.filter(claim__in=ids).select_related("source").order_by("pk"):
        speakers[row.claim_id].append(row.source)
    between = ClaimLink.objects.exclude(status=LinkStatus.REJECTED).filter(
        kind=LinkKind.RELAYS, from_claim__in=ids, to_claim__in=ids
    )

    # Claims joined into one original when they share a speaker or one relays the other (union-find).
    parent = {pk: pk for pk in ids}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    def join(one, other):
        parent[root(one)] = root(other)

    said_by = {}
    for pk in ids:
        for source in speakers[pk]:
            if source.pk in said_by:
                join(pk, said_by[source.pk])
            said_by[source.pk] = pk
    for pk in relayed:
        join(pk, claim.pk)
    for from_id, to_id in between.values_list("from_claim_id", "to_claim_id"):
        join(from_id, to_id)

    own, members = [], {}
    for pk, found in supporting.items():
        if root(pk) == root(claim.pk):
            own.append(found)
        else:
            members.setdefault(root(pk), []).append(found)
    groups = {}
    for claims in members.values():
        original = tuple(dict.fromkeys(source for found in claims for source in speakers[found.pk]))
        groups[original] = claims
    return Corroboration(groups=groups, own=own)
