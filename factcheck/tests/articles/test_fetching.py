"""Fetching an article's page: only what the editor may read from outside, within the limits; then the article
found in it. Every page comes from a local server in a thread: these tests never touch the internet."""

import socket
from datetime import date

import pytest

from factcheck import fetching
from factcheck.fetching import FetchFailed, fetch_article, fetch_page

from .page_server import serving


@pytest.fixture
def server(settings):
    settings.FACTCHECK_FETCH_PRIVATE_ADDRESSES = True  # the test server is on 127.0.0.1
    settings.FACTCHECK_FETCH_TIMEOUT_SECONDS = 5
    with serving() as server:
        yield server


def failure(url):
    with pytest.raises(FetchFailed) as failed:
        fetch_article(url)
    return str(failed.value)


def test_it_finds_the_article_and_what_the_page_says_of_it(server):
    found = fetch_article(f"{server.url}/courier.html")
    assert found.title == "Army split over exile plan"
    assert found.author == "María López"
    assert found.published_on == date(2019, 5, 14)
    assert found.site_name == "The Caracas Courier"
    assert "Army officers in exile abandoned a plan" in found.text
    assert "remained loyal to the president" in found.text
    assert "Most read" not in found.text and "Subscribe" not in found.text and "tracking" not in found.text
    assert found.text.endswith("exiles.\n")
    assert found.html.startswith("<!doctype html>") and "<nav>" in found.html  # the page as received


def test_plain_text_is_taken_whole(server):
    found = fetch_article(f"{server.url}/wire.txt")
    assert found.text == (server_file("wire.txt"))
    assert found.title == "Plain wire copy: the army is loyal, the minister said."


def server_file(name):
    from .page_server import PAGES

    return (PAGES / name).read_text(encoding="utf-8")


def test_the_page_says_its_encoding(server):
    found = fetch_article(f"{server.url}/latin1.html")
    assert "Talks at the café in Mérida" in found.text
    assert found.title == "Café talks"


def test_redirects_are_followed_and_the_final_address_kept(server):
    page = fetch_page(f"{server.url}/redirect?to=/redirect%3Fto%3D/courier.html%26status%3D301")
    assert page.url == f"{server.url}/courier.html"


def test_too_many_redirects_are_refused(server):
    assert "redirected more than 5 times" in failure(f"{server.url}/redirect?to=/redirect%3Fto%3D/redirect")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/photo.png", "The address gives an image (image/png), not a web page or text"),
        ("/report.pdf", "The address gives a PDF document (application/pdf), not a web page or text"),
        ("/menu.html", "No article was found in the page"),
        ("/missing", "The site answered “404 Not Found”, not the page."),
    ],
)
def test_what_is_no_article_is_refused_with_a_reason(server, path, message):
    assert message in failure(f"{server.url}{path}")


def test_a_page_over_the_size_limit_is_refused_before_it_is_read(server, settings):
    settings.FACTCHECK_MAX_ARTICLE_BYTES = 100_000
    assert failure(f"{server.url}/huge?announced=1") == (
        "The page is too big (10,000,000 bytes, over the 100,000-byte limit)."
    )


def test_a_page_that_does_not_say_its_size_is_cut_at_the_limit(server, settings):
    settings.FACTCHECK_MAX_ARTICLE_BYTES = 100_000
    assert failure(f"{server.url}/huge") == "The page is too big (over the 100,000-byte limit)."


def test_a_page_that_never_ends_times_out(server, settings):
    settings.FACTCHECK_FETCH_TIMEOUT_SECONDS = 1
    assert failure(f"{server.url}/drip") == "The site did not send the page within 1 seconds (timed out)."


def test_an_unreachable_site_is_reported(server):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    assert failure(f"http://127.0.0.1:{port}/") == "The site could not be reached (Connection refused)."


def test_an_unknown_site_is_reported(server, monkeypatch):
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetching.socket, "getaddrinfo", no_such_name)
    assert failure("https://news.invalid/story") == "The site “news.invalid” could not be found (no such address)."


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/report.txt", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_and_https_are_fetched(url):
    assert failure(url).startswith("Only http:// and https:// addresses can be fetched")


def test_private_addresses_are_refused_unless_allowed(settings):
    settings.FACTCHECK_FETCH_PRIVATE_ADDRESSES = False
    with serving() as server:
        assert failure(f"{server.url}/courier.html") == (
            "Refused: “127.0.0.1” is on a private network (127.0.0.1), which this server does not fetch from."
        )
        assert server.requests == []  # not even asked


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
     "fe80::1", "fd00::1", "::ffff:127.0.0.1", "2002:7f00:1::", "224.0.0.1"],
)  # fmt: skip
def test_what_counts_as_private(address):
    assert fetching.is_private(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_not_private(address):
    assert not fetching.is_private(address)


def test_a_name_resolving_to_a_private_address_among_public_ones_is_refused(settings, monkeypatch):
    settings.FACTCHECK_FETCH_PRIVATE_ADDRESSES = False
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 80)) for address in ("93.184.216.34", "10.0.0.5")]
    monkeypatch.setattr(fetching.socket, "getaddrinfo", lambda *args, **kwargs: answers)
    assert "is on a private network (10.0.0.5)" in failure("http://news.example/story")


def test_every_redirect_is_checked_again(server, settings, monkeypatch):
    settings.FACTCHECK_FETCH_PRIVATE_ADDRESSES = False
    # The test server stands for a public site; 127.0.0.2, where it redirects, for the private network.
    monkeypatch.setattr(fetching, "is_private", lambda address: address != "127.0.0.1")
    port = server.server_address[1]
    message = failure(f"{server.url}/redirect?to=http://127.0.0.2:{port}/courier.html")
    assert message == "Refused: “127.0.0.2” is on a private network (127.0.0.2), which this server does not fetch from."
    assert [path for path, _host in server.requests] == [f"/redirect?to=http://127.0.0.2:{port}/courier.html"]


def test_it_connects_to_the_address_it_checked_and_names_the_site(server, monkeypatch):
    """The name is looked up once per hop and the connection goes to that answer: a second lookup (which a
    hostile name server could answer with an internal address: DNS rebinding) is never made."""
    port = server.server_address[1]
    lookups = []

    def resolve(host, *args, **kwargs):
        lookups.append(host)
        if len(lookups) > 1:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.9.9", port))]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(fetching.socket, "getaddrinfo", resolve)
    found = fetch_article(f"http://news.example:{port}/courier.html")
    assert found.title == "Army split over exile plan"
    assert lookups == ["news.example"]
    assert server.requests == [("/courier.html", f"news.example:{port}")]
