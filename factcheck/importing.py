"""Reading news reports from files into Articles, losing nothing of their text."""

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from django.db import IntegrityError, transaction

from .models import Article

IMPORTABLE_SUFFIXES = {".txt", ".text", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
TITLE_MAX = 200


class UnreadableArticle(Exception):
    """A file that cannot become an article; the message says why, in one line."""


def article_files(paths):
    """Expand folders into the importable files they hold, in name order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES)
        else:
            yield path


def read_article(path):
    """Return (title, body) for a text or HTML file, or raise UnreadableArticle."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UnreadableArticle(f"cannot read the file ({error.strerror or error})") from error
    if b"\x00" in raw:
        raise UnreadableArticle("looks like a binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableArticle(f"is not UTF-8 text (invalid byte at position {error.start})") from error
    text = text.removeprefix("\ufeff")
    if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(text):
        title, body = _from_html(text)
    else:
        title, body = None, text
    if not body.strip():
        raise UnreadableArticle("is empty")
    return title or title_from_text(body), body


def title_from_text(body):
    """The first line that has a letter in it (stray price lines and the like are skipped)."""
    for line in body.splitlines():
        line = " ".join(line.split())
        if any(ch.isalpha() for ch in line):
            if len(line) <= TITLE_MAX:
                return line
            return line[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return "Untitled article"


def import_article(path, *, added_by=None):
    """Import one file in its own transaction. Returns (article, created)."""
    title, body = read_article(path)
    content_hash = hashlib.sha256(body.encode()).hexdigest()
    existing = Article.objects.filter(content_hash=content_hash).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            article = Article.objects.create(title=title, body=body, added_by=added_by)
    except IntegrityError:
        # Someone imported the same text at the same moment.
        return Article.objects.get(content_hash=content_hash), False
    return article, True


def _looks_like_html(text):
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


class _TextExtractor(HTMLParser):
    BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article"}
    SKIP_TAGS = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.title_parts = []
        self.h1_parts = []
        self._skip = 0
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP_TAGS:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        if tag in self.BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in self.BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title_parts.append(data)
            return
        if self._in_h1:
            self.h1_parts.append(data)
        self.parts.append(data)


def _from_html(text):
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    body = re.sub(r"[ \t]+\n", "\n", "".join(parser.parts))
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    title = " ".join("".join(parser.title_parts or parser.h1_parts).split())
    return title[:TITLE_MAX] or None, body if body.strip() else ""
