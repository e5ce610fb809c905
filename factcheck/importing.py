"""Reading news reports into Articles, losing nothing of their text: files named to `manage.py import_articles`
and files uploaded on the new-article page go through the same rules (`article_from_bytes`); a page fetched by URL
shares the decoding (`decode`), then has its article found by `factcheck.fetching`."""

import codecs
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import Article, ArticleExists
from .text import canonical

IMPORTABLE_SUFFIXES = {".txt", ".text", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
TITLE_MAX = 200
LIMIT_SETTING = "DJANGO_MAX_ARTICLE_BYTES"


class UnreadableArticle(Exception):
    """A file that cannot become an article; the message says why, in one line."""


def article_files(paths):
    """Expand folders into the importable files they hold, in name order, as (path, refusal) pairs:
    refusal is None, or why the file is not read (a symlink leading out of its folder)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _folder_files(path)
        else:
            yield path, None  # named by the user, so read even through a symlink


def _folder_files(folder):
    root = folder.resolve()
    found = []
    for dirpath, _dirnames, filenames in os.walk(folder):  # symlinked folders are listed but not entered
        for path in (Path(dirpath, name) for name in filenames):
            if path.suffix.lower() not in IMPORTABLE_SUFFIXES:
                continue
            if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(root):
                found.append((path, f"is a symbolic link to a file outside {folder}; not followed"))
            else:
                found.append((path, None))
    return sorted(found, key=lambda item: item[0])


def read_article(path):
    """Return (title, body) for a text or HTML file, or raise UnreadableArticle."""
    path = Path(path)
    return article_from_bytes(_read_regular_file(path), path.name)


def article_from_bytes(raw, name):
    """(title, body) of a text or HTML file's bytes, `name` the file's name; or raise UnreadableArticle."""
    text = canonical(decode(raw))
    if Path(name).suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        title, body = _from_html(text)
    else:
        title, body = None, text
    if not body.strip():
        raise UnreadableArticle("is empty")
    return title or title_from_text(body), body


def _read_regular_file(path):
    limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
    try:
        _check_file(os.stat(path), limit)  # before opening: a FIFO or device is never opened, a huge file never read
        # Non-blocking, and checked again once open, so a FIFO swapped in meanwhile is refused, not waited on.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY), "rb") as file:
            _check_file(os.fstat(file.fileno()), limit)
            raw = file.read(limit + 1)
    except OSError as error:
        raise UnreadableArticle(f"cannot read the file ({error.strerror or error})") from error
    if len(raw) > limit:
        raise UnreadableArticle(f"grew over the {limit:,}-byte limit ({LIMIT_SETTING}) while being read")
    return raw


def _check_file(info, limit):
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableArticle(f"is {_kind_of_file(info.st_mode)}, not a regular file")
    if info.st_size > limit:
        raise UnreadableArticle(f"is {info.st_size:,} bytes, over the {limit:,}-byte limit ({LIMIT_SETTING})")


def _kind_of_file(mode):
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def decode(raw, declared=None):
    """UTF-8 (a byte order mark dropped), or UTF-16 when a byte order mark says so; nothing else is guessed.
    `declared`: the encoding a web server or page names, used when no byte order mark says otherwise."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "UTF-16"
    elif b"\x00" in raw:
        raise UnreadableArticle("looks like a binary file, not text")
    elif raw.startswith(codecs.BOM_UTF8):
        encoding = "UTF-8"
    else:
        encoding = declared or "UTF-8"
    try:
        text = raw.decode(encoding).removeprefix("\ufeff")  # the UTF-16 codec drops its own mark
    except LookupError as error:
        raise UnreadableArticle(f"names an unknown text encoding ({encoding})") from error
    except UnicodeDecodeError as error:
        raise UnreadableArticle(
            f"is not {encoding} text (invalid byte at position {error.start}); save it as UTF-8"
        ) from error
    if "\x00" in text:  # UTF-32, which starts like UTF-16
        raise UnreadableArticle("looks like a binary file, not text")
    return text


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
    try:
        return Article.add(by=added_by, title=title, body=body), True
    except ArticleExists as exists:  # imported before, or by someone at the same moment
        return exists.article, False
    except ValidationError as error:
        raise UnreadableArticle("; ".join(error.messages)) from error


def looks_like_html(text):
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
