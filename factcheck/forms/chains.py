"""The attribution chain form: a claim's co-speakers and its hops, as numbered fields.

A plain form rather than a formset: rows are added, removed and moved by submit buttons (no JavaScript
needed), each press sending the whole form back to be shown again with the change and nothing saved, so
the rows are parsed from their numbered names (`co-1`, `hop-2-source`, `hop-2-manner` ...) in order. Every
source and article chosen is read in one query each, whatever the number of rows.
"""

import re

from ..models import Article, Relay, Source
from ..views.reading import as_id, search_words
from .versioning import STALE_FORM

MAX_ROWS = 30
HOP_FIELDS = ("source", "manner", "reason", "url", "article")


class HopRow:
    """One hop as typed: ids of its source and article (and what was found for them), its manner, reason, URL."""

    def __init__(self, source_id=None, manner=Relay.Manner.UNKNOWN, reason="", url="", article_id=None):
        self.source_id, self.manner, self.reason, self.url, self.article_id = source_id, manner, reason, url, article_id
        self.source = self.article = None
        self.source_find = self.article_find = ""
        self.errors = []

    @classmethod
    def from_relay(cls, relay):
        row = cls(relay.source_id, relay.manner, relay.reason, relay.url, relay.article_id)
        row.source, row.article = relay.source, relay.article
        return row

    def is_blank(self):
        return not (self.source_id or self.reason.strip() or self.url.strip() or self.article_id) and (
            self.manner == Relay.Manner.UNKNOWN
        )

    def as_hop(self):
        return {
            "source": self.source,
            "manner": self.manner,
            "reason": self.reason,
            "url": self.url,
            "article": self.article,
        }


class SpeakerRow:
    def __init__(self, source_id=None, source=None):
        self.source_id, self.source, self.find = source_id, source, ""
        self.errors = []


class ChainForm:
    """The co-speakers and hops of `claim`'s chain: from the claim (unbound) or from what was sent (`data`)."""

    manners = Relay.Manner.choices

    def __init__(self, claim, data=None):
        self.claim = claim
        self.data = data
        self.errors = []
        self.is_bound = data is not None
        if data is None:
            self.version = claim.version
            self.co_speakers = [SpeakerRow(source.pk, source) for source in claim.speakers()[1:]]
            self.hops = [HopRow.from_relay(relay) for relay in claim.chain()]
            return
        self.version = as_id(data.get("version", ""))
        self.co_speakers = [self._speaker_row(data, n) for n in _numbers(data, r"co-(\d+)")]
        self.hops = [self._hop_row(data, n) for n in _numbers(data, r"hop-(\d+)-source")]
        self._read_choices()

    @staticmethod
    def _speaker_row(data, n):
        row = SpeakerRow(as_id(data.get(f"co-{n}", "")))
        row.find = search_words(data, f"co-{n}-find")
        return row

    @staticmethod
    def _hop_row(data, n):
        manner = data.get(f"hop-{n}-manner", "")
        row = HopRow(
            as_id(data.get(f"hop-{n}-source", "")),
            manner if manner in Relay.Manner.values else Relay.Manner.UNKNOWN,
            data.get(f"hop-{n}-reason", "").replace("\x00", ""),
            data.get(f"hop-{n}-url", "").replace("\x00", "").strip(),
            as_id(data.get(f"hop-{n}-article", "")),
        )
        row.source_find = search_words(data, f"hop-{n}-source-find")
        row.article_find = search_words(data, f"hop-{n}-article-find")
        return row

    def _read_choices(self):
        """The sources and articles chosen, in one query each; a choice deleted meanwhile is cleared, and said."""
        source_ids = {row.source_id for row in [*self.co_speakers, *self.hops] if row.source_id}
        article_ids = {row.article_id for row in self.hops if row.article_id}
        sources = Source.objects.only("pk", "name", "kind").in_bulk(source_ids)
        articles = Article.objects.only("pk", "title").in_bulk(article_ids)
        for row in self.co_speakers:
            row.source = sources.get(row.source_id)
        for row in self.hops:
            row.source, row.article = sources.get(row.source_id), articles.get(row.article_id)
            if row.article_id and row.article is None:
                row.errors.append("The article chosen no longer exists: choose it again.")

    # Changes asked for by a submit button other than "Save chain": the form comes back with them, unsaved.

    def change(self, action):
        """Apply `action` ("add-hop", "remove-hop-2", "up-3", "down-1", "add-co", "remove-co-1"); True if known."""
        kind, _, number = action.rpartition("-")
        index = as_id(number)
        if action == "add-hop" and len(self.hops) < MAX_ROWS:
            self.hops.append(HopRow())
        elif action == "add-co" and len(self.co_speakers) < MAX_ROWS:
            self.co_speakers.append(SpeakerRow())
        elif index is None or not 1 <= index <= MAX_ROWS:
            return False
        elif kind == "remove-hop" and index <= len(self.hops):
            del self.hops[index - 1]
        elif kind == "remove-co" and index <= len(self.co_speakers):
            del self.co_speakers[index - 1]
        elif kind == "up" and 1 < index <= len(self.hops):
            self.hops[index - 2], self.hops[index - 1] = self.hops[index - 1], self.hops[index - 2]
        elif kind == "down" and index < len(self.hops):
            self.hops[index - 1], self.hops[index] = self.hops[index], self.hops[index - 1]
        else:
            return False
        return True

    def is_valid(self):
        """What the form itself can tell; the chain's own rules are `Claim.set_chain`'s."""
        if self.version is None:
            self.errors.append(STALE_FORM)
        if len(self.hops) > MAX_ROWS or len(self.co_speakers) > MAX_ROWS:
            self.errors.append(f"A chain holds at most {MAX_ROWS} hops and {MAX_ROWS} co-speakers.")
        for row in self.co_speakers:
            if row.source_id and row.source is None:
                row.errors.append("This source no longer exists: choose another.")
        for row in self.hops:
            if row.source_id and row.source is None:
                row.errors.append("This source no longer exists: choose another.")
            elif row.source is None and not row.is_blank():
                row.errors.append("Choose who passed the claim on (find them by name).")
        return not self.errors and not any(row.errors for row in [*self.co_speakers, *self.hops])

    @property
    def has_errors(self):
        return bool(self.errors) or any(row.errors for row in [*self.co_speakers, *self.hops])

    def chosen_co_speakers(self):
        return [row.source for row in self.co_speakers if row.source is not None]

    def chosen_hops(self):
        """The hops to save: rows left blank are dropped."""
        return [row.as_hop() for row in self.hops if not row.is_blank()]

    def typed_line(self):
        """The chain as typed, in the claim page's words (for comparing with a colleague's saved chain)."""
        hops = [Relay(source=row.source, manner=row.manner) for row in self.hops if row.source is not None]
        return self.claim.chain_line(hops, [self.claim.speaker, *self.chosen_co_speakers()])


def _numbers(data, pattern):
    """The row numbers sent for `pattern`, in order (at most a few more than MAX_ROWS are read)."""
    found = sorted({int(m.group(1)) for key in data if (m := re.fullmatch(pattern, key)) and len(m.group(1)) < 4})
    return found[: MAX_ROWS + 1]
