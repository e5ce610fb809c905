"""Fetching an article's web page for an editor, safely, and finding the article in it.

The server fetches what an editor names, so an address must not become a way into the server's own networks
(a database, a cloud's metadata service): only http(s); every address the name resolves to is checked, on every
redirect hop, and the connection goes to the address that was checked, never to a second lookup's answer (which a
hostile name server could point at 127.0.0.1: DNS rebinding). A time limit covers the whole fetch, a size limit
the page, and only web pages and plain text are read.
"""

import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import date
from email.message import Message
from urllib.parse import urljoin, urlsplit

import trafilatura
from django.conf import settings

from .importing import UnreadableArticle, decode, looks_like_html, title_from_text
from .text import canonical

MAX_REDIRECTS = 5
HTML_TYPES = {"text/html", "application/xhtml+xml"}
READABLE_TYPES = HTML_TYPES | {"text/plain"}
CHUNK = 64 * 1024
# Fewer words than this in a web page's main text is a menu or a "please enable JavaScript", not an article.
MIN_ARTICLE_WORDS = 20
USER_AGENT = "Mozilla/5.0 (compatible; factcheck article fetcher)"
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
KINDS = {"image": "an image", "video": "a video", "audio": "a sound file", "font": "a font"}
KNOWN_TYPES = {
    "application/pdf": "a PDF document",
    "application/zip": "a ZIP archive",
    "application/json": "JSON data",
    "application/octet-stream": "a binary file",
}


class FetchFailed(Exception):
    """The page could not be fetched or read; the message says why, in words an editor understands."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content_type: str
    raw: bytes


@dataclass(frozen=True)
class Found:
    """What the extraction found in a page: the editor's starting point."""

    html: str  # the page as received, decoded: the snapshot
    title: str
    author: str
    published_on: date | None
    site_name: str
    text: str


def fetch_article(url):
    """Fetch `url` and find the article in it: a Found, or FetchFailed."""
    return extract(fetch_page(url))


def fetch_page(url):
    """The page at `url`, redirects followed, within the time and size limits; or FetchFailed."""
    timeout = settings.FACTCHECK_FETCH_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            parts = _checked_url(url)
            connection, response = _request(parts, deadline)
            try:
                if response.status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location")
                    if not location:
                        raise FetchFailed(f"The site redirected ({response.status}) without saying where to.")
                    url = urljoin(url, location.strip())
                    continue
                if response.status != 200:
                    raise FetchFailed(f"The site answered “{response.status} {response.reason}”, not the page.")
                content_type = response.getheader("Content-Type", "")
                _check_type(content_type)
                return Page(url, content_type, _read(connection, response, deadline))
            finally:
                connection.close()
    except TimeoutError as error:
        raise FetchFailed(f"The site did not send the page within {timeout} seconds (timed out).") from error
    except ssl.SSLError as error:
        raise FetchFailed(f"The site's secure connection could not be verified ({error.reason or error}).") from error
    except http.client.HTTPException as error:
        raise FetchFailed("The site's answer could not be read (not a valid web response).") from error
    except OSError as error:
        raise FetchFailed(f"The site could not be reached ({error.strerror or error}).") from error
    raise FetchFailed(f"The site redirected more than {MAX_REDIRECTS} times; open the final page and use its address.")


def _checked_url(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchFailed(f"Only http:// and https:// addresses can be fetched, not “{parts.scheme or url}”.")
    if not parts.hostname:
        raise FetchFailed("The address names no site.")
    try:
        parts.port  # noqa: B018 -- raises on a port that is no number
    except ValueError as error:
        raise FetchFailed("The address has an invalid port number.") from error
    return parts


def _addresses(host, port):
    """The addresses `host` resolves to, each one checked; refused if any is on a private network."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchFailed(f"The site “{host}” could not be found (no such address).") from error
    addresses = list(dict.fromkeys((family, sockaddr) for family, _type, _proto, _name, sockaddr in found))
    if not settings.FACTCHECK_FETCH_PRIVATE_ADDRESSES:
        for _family, sockaddr in addresses:
            if is_private(sockaddr[0]):
                raise FetchFailed(
                    f"Refused: “{host}” is on a private network ({sockaddr[0]}), which this server does not fetch from."
                )
    return addresses


def is_private(address):
    """Whether an IP address is anything but a public internet address (loopback, private, link-local, ...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and (ip.ipv4_mapped or ip.sixtofour):
        ip = ip.ipv4_mapped or ip.sixtofour
    return not ip.is_global or ip.is_multicast


def _request(parts, deadline):
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _addresses(parts.hostname, port)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    error = None
    for address in addresses:
        remaining = _remaining(deadline)
        if parts.scheme == "https":
            context = ssl.create_default_context()
            connection = _CheckedHTTPSConnection(parts.hostname, port, timeout=remaining, context=context)
        else:
            connection = _CheckedHTTPConnection(parts.hostname, port, timeout=remaining)
        connection.checked_address = address
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
                    "Accept-Encoding": "identity",
                },
            )
            return connection, connection.getresponse()
        except (ConnectionError, TimeoutError) as problem:
            connection.close()
            error = problem
            if isinstance(problem, TimeoutError):
                break
    raise error


class _Checked:
    """A connection to the address checked (`checked_address`, a getaddrinfo family and sockaddr), not to
    whatever the host name resolves to when connecting; the host name still goes in Host and TLS (SNI, and
    the certificate is verified against it)."""

    checked_address = None
    checked_socket = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = self._connect_checked

    def _connect_checked(self, _host_and_port, timeout, _source_address=None):
        family, sockaddr = self.checked_address
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
        except BaseException:
            sock.close()
            raise
        return sock

    def connect(self):
        super().connect()
        self.checked_socket = self.sock  # the TLS one for https; the response reads through it after close()


class _CheckedHTTPConnection(_Checked, http.client.HTTPConnection):
    pass


class _CheckedHTTPSConnection(_Checked, http.client.HTTPSConnection):
    pass


def _remaining(deadline):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    return remaining


def _media_type(content_type):
    message = Message()
    message["Content-Type"] = content_type
    return message.get_content_type(), message.get_param("charset")


def _check_type(content_type):
    if not content_type:
        return  # judged by what arrives: binary data is refused when decoded
    media_type, _charset = _media_type(content_type)
    if media_type in READABLE_TYPES:
        return
    what = KNOWN_TYPES.get(media_type) or KINDS.get(media_type.split("/")[0]) or "not a web page or text"
    raise FetchFailed(f"The address gives {what} ({media_type}), not a web page or text; paste the article's text.")


def _read(connection, response, deadline):
    limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
    length = response.getheader("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise FetchFailed(f"The page is too big ({int(length):,} bytes, over the {limit:,}-byte limit).")
    chunks, size = [], 0
    while size <= limit and not response.isclosed():
        connection.checked_socket.settimeout(_remaining(deadline))  # a page sent drop by drop still ends in time
        chunk = response.read1(min(CHUNK, limit + 1 - size))  # what has come, so the time is checked often
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise FetchFailed(f"The page is too big (over the {limit:,}-byte limit).")
    return b"".join(chunks)


def extract(page):
    """The article in a fetched page: its text and what the page says of it; or FetchFailed."""
    media_type, charset = _media_type(page.content_type) if page.content_type else ("", None)
    if not charset and media_type != "text/plain":
        named = META_CHARSET.search(page.raw[:4096])
        charset = named.group(1).decode("ascii") if named else None
    try:
        text = canonical(decode(page.raw, charset))
    except UnreadableArticle as problem:
        raise FetchFailed(f"The page {problem}.") from problem
    if media_type == "text/plain" or (not media_type and not looks_like_html(text) and "<" not in text[:1000]):
        if not text.strip():
            raise FetchFailed("The page is empty: no article found.")
        return Found(html=text, title=title_from_text(text), author="", published_on=None, site_name="", text=text)
    document = trafilatura.bare_extraction(
        text, url=page.url, with_metadata=True, include_comments=False, include_tables=True
    )
    body = canonical(document.text or "").strip() if document else ""
    if len(body.split()) < MIN_ARTICLE_WORDS:
        raise FetchFailed("No article was found in the page (it may need JavaScript, or hold no text); paste the text.")
    return Found(
        html=text,
        title=(document.title or title_from_text(body))[:300],
        author=(document.author or "")[:200],
        published_on=_date(document.date),
        site_name=(document.sitename or "")[:200],
        text=body + "\n",
    )


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
