"""Where a claim's quote stands in its article's text, and where it stands after the text changes.

A claim is anchored the way the W3C Web Annotation model anchors a note: by position (the
offset of its quote) and by content (the exact quote with a little of the text before and after
it). When the text changes, a quote is kept where it still stands, else found again by its words
and context, else it is orphaned: never silently pointed at other words.
"""

from dataclasses import dataclass

CONTEXT = 32  # characters of context kept before and after a quote


def context_around(body, start, end):
    """The text just before and just after body[start:end]."""
    return body[max(0, start - CONTEXT) : start], body[end : end + CONTEXT]


@dataclass(frozen=True)
class Placement:
    start: int | None  # None: the quote is nowhere to be found (orphaned)
    outcome: str  # "kept", "moved" or "orphaned"


def _unchanged_ends(old, new):
    """Lengths of the longest common prefix and suffix of two texts (not overlapping)."""
    limit = min(len(old), len(new))
    prefix = 0
    step = 4096
    while prefix < limit:  # compare in blocks, then characters: linear, fast in C
        size = min(step, limit - prefix)
        if old[prefix : prefix + size] == new[prefix : prefix + size]:
            prefix += size
        elif size == 1:
            break
        else:
            step = max(1, size // 2)
    suffix = 0
    step = 4096
    limit -= prefix
    while suffix < limit:
        size = min(step, limit - suffix)
        if old[len(old) - suffix - size : len(old) - suffix] == new[len(new) - suffix - size : len(new) - suffix]:
            suffix += size
        elif size == 1:
            break
        else:
            step = max(1, size // 2)
    return prefix, suffix


def _common_suffix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def find(body, quote, *, prefix="", suffix="", near=None):
    """The offset of `quote` in `body`: where its context matches best, then nearest `near`;
    None when the body does not contain it."""
    best, best_score = None, None
    start = body.find(quote)
    while start != -1:
        before, after = context_around(body, start, start + len(quote))
        score = (
            _common_suffix(before, prefix) + _common_prefix(after, suffix),
            -abs(start - near) if near is not None else 0,
        )
        if best_score is None or score > best_score:
            best, best_score = start, score
        start = body.find(quote, start + 1)
    return best


class Reanchoring:
    """How a change of text from `old` to `new` moves each quote anchored in `old`."""

    def __init__(self, old, new):
        self.old, self.new = old, new
        self.head, self.tail = _unchanged_ends(old, new)
        self.shift = len(new) - len(old)

    def place(self, quote, start, *, prefix="", suffix=""):
        """Where a quote that stood at `start` in the old text stands in the new one."""
        if start is not None:
            end = start + len(quote)
            if end <= self.head:
                return Placement(start, "kept")
            if start >= len(self.old) - self.tail:
                moved = start + self.shift
                return Placement(moved, "kept" if moved == start else "moved")
        near = start + self.shift if start is not None and start >= self.head else start
        found = find(self.new, quote, prefix=prefix, suffix=suffix, near=near)
        if found is None:
            return Placement(None, "orphaned")
        return Placement(found, "kept" if found == start else "moved")
