import codecs
import hashlib
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections

from factcheck.models import Article

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "seeds"


def run_import(*paths):
    """Run the command; return (stdout, stderr, error or None)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def run_import_in_time(*paths, seconds=10):
    """run_import in a thread of its own, so that an importer waiting on a file fails the test instead of hanging it."""
    result = []

    def run():
        try:
            result.append(run_import(*paths))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the importer is waiting on a file"
    return result[0]


def write_good(folder, name="good.txt"):
    path = folder / name
    path.write_text("A good report.\n\nWith a body.\n", encoding="utf-8")
    return path


def test_it_imports_a_folder_of_articles_losing_nothing():
    out, err, error = run_import(SEEDS)
    assert error is None and err == ""
    assert Article.objects.count() == 5  # the README beside them is not an article
    for path in SEEDS.glob("*.txt"):
        assert Article.objects.filter(body=path.read_bytes().decode("utf-8")).exists(), path.name
    assert "5 imported, 0 skipped, 0 failed" in out


def test_it_keeps_stray_lines_and_comment_threads():
    run_import(SEEDS / "004_28eaa8d34f2238df.txt")
    article = Article.objects.get()
    assert article.body.startswith("0 $\n2,350 $\n")
    assert article.title == "Venezuelan Army Exiles Reportedly Abandoned Plan To Enter Country By Force Last Month"


def test_it_takes_the_title_from_the_first_line_of_text():
    run_import(SEEDS / "000_110600927fbb1ccd.txt")
    assert Article.objects.get().title.startswith("Caracas (GPA) – According to a source cited")


def test_reimporting_the_same_text_is_skipped_and_reported(tmp_path):
    run_import(SEEDS / "001_915ab7f54c3ab005.txt")
    copy = tmp_path / "copy.txt"
    copy.write_bytes((SEEDS / "001_915ab7f54c3ab005.txt").read_bytes())
    out, err, error = run_import(copy)
    assert error is None
    assert Article.objects.count() == 1
    assert f"{copy}: skipped, same text already imported as article #{Article.objects.get().pk}" in out


def test_it_imports_html_as_text(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(
        "<!doctype html><html><head><title>Plot &amp; counter-plot</title><style>p{}</style></head>"
        "<body><h1>Plot</h1><p>First paragraph.</p><script>alert(1)</script><p>Second <b>bold</b> one.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    run_import(page)
    article = Article.objects.get()
    assert article.title == "Plot & counter-plot"
    assert "First paragraph.\n\nSecond bold one." in article.body
    assert "alert" not in article.body and "<p>" not in article.body


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file, not text"),
        (b"", "is empty"),
        (b"  \n\n\t ", "is empty"),
        ("Caf\u00e9 au lait".encode("latin-1"), "is not UTF-8 text (invalid byte at position 3); save it as UTF-8"),
        (b"\xef\xbb\xbfCaf\xe9", "is not UTF-8 text (invalid byte at position 6); save it as UTF-8"),
        (
            codecs.BOM_UTF16_LE + "Report".encode("utf-16-le") + b"!",
            "is not UTF-16 text (invalid byte at position 14); save it as UTF-8",
        ),
        ("\ufeffReport".encode("utf-32-le"), "looks like a binary file, not text"),
    ],
)
def test_bad_files_get_a_one_line_error_and_the_good_ones_still_import(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("A good report.\n\nWith a body.\n", encoding="utf-8")
    out, err, error = run_import(bad, good)
    assert error is not None  # a non-zero exit
    assert err.strip() == f"{bad}: error: {message}"
    assert list(Article.objects.values_list("title", flat=True)) == ["A good report."]
    assert "1 imported, 0 skipped, 1 failed" in out


def test_a_missing_file_is_reported_by_name(tmp_path):
    missing = tmp_path / "nowhere.txt"
    out, err, error = run_import(missing)
    assert error is not None
    assert err.strip() == f"{missing}: error: cannot read the file (No such file or directory)"
    assert Article.objects.count() == 0


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHeadline\nBody\n".encode())
    run_import(path)
    assert Article.objects.get().body == "Headline\nBody\n"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, settings):
    settings.FACTCHECK_MAX_ARTICLE_BYTES = 5_000_000
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: all NUL bytes, so reading it first would call it binary
    good = write_good(tmp_path)
    out, err, error = run_import(huge, good)
    assert error is not None
    assert err.strip() == (
        f"{huge}: error: is 52,428,800 bytes, over the 5,000,000-byte limit (DJANGO_MAX_ARTICLE_BYTES)"
    )
    assert "1 imported, 0 skipped, 1 failed" in out


def test_a_file_of_exactly_the_limit_is_imported(tmp_path, settings):
    settings.FACTCHECK_MAX_ARTICLE_BYTES = 30
    exact, over = tmp_path / "exact.txt", tmp_path / "over.txt"
    exact.write_bytes(b"Thirty bytes of report text.\n\n")
    over.write_bytes(b"Thirty-one bytes of report text.")
    out, err, error = run_import(exact, over)
    assert err.strip() == f"{over}: error: is 32 bytes, over the 30-byte limit (DJANGO_MAX_ARTICLE_BYTES)"
    assert "1 imported, 0 skipped, 1 failed" in out


@pytest.mark.parametrize(("value", "limit"), [(None, 5_000_000), ("1234", 1234)])
def test_the_size_limit_comes_from_the_environment(value, limit):
    env = {name: v for name, v in os.environ.items() if name != "DJANGO_MAX_ARTICLE_BYTES"}
    env["DJANGO_SECRET_KEY"] = "x"
    if value is not None:
        env["DJANGO_MAX_ARTICLE_BYTES"] = value
    shown = subprocess.run(
        [sys.executable, "-c", "from factcheck import settings; print(settings.FACTCHECK_MAX_ARTICLE_BYTES)"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == str(limit)


def test_a_fifo_named_on_the_command_line_is_refused_without_waiting(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    out, err, error = run_import_in_time(pipe)
    assert error is not None
    assert err.strip() == f"{pipe}: error: is a named pipe (FIFO), not a regular file"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fifo_in_a_folder_is_refused_and_the_rest_imported(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    write_good(tmp_path)
    out, err, error = run_import_in_time(tmp_path)
    assert error is not None
    assert err.strip() == f"{tmp_path / 'pipe.txt'}: error: is a named pipe (FIFO), not a regular file"
    assert "1 imported, 0 skipped, 1 failed" in out


def stat_as_if(monkeypatch, path, stand_in):
    """Make os.stat report `stand_in` for `path`: the file was swapped after the importer checked it."""
    real_stat = os.stat
    monkeypatch.setattr(
        os,
        "stat",
        lambda name, *args, **kwargs: real_stat(stand_in if str(name) == str(path) else name, *args, **kwargs),
    )


def test_a_fifo_swapped_in_after_the_check_is_still_refused_without_waiting(tmp_path, monkeypatch):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    stat_as_if(monkeypatch, pipe, write_good(tmp_path))
    out, err, error = run_import_in_time(pipe)
    assert err.strip() == f"{pipe}: error: is a named pipe (FIFO), not a regular file"


def test_a_file_that_grows_after_the_check_is_still_held_to_the_limit(tmp_path, settings, monkeypatch):
    settings.FACTCHECK_MAX_ARTICLE_BYTES = 30
    small, grown = write_good(tmp_path, "small.txt"), tmp_path / "grown.txt"
    grown.write_text("A report that grew far past the limit.\n" * 10, encoding="utf-8")
    stat_as_if(monkeypatch, grown, small)
    real_stat = os.stat
    monkeypatch.setattr(os, "fstat", lambda fd: real_stat(small))
    out, err, error = run_import(grown)
    assert err.strip() == f"{grown}: error: grew over the 30-byte limit (DJANGO_MAX_ARTICLE_BYTES) while being read"
    assert Article.objects.count() == 0


def test_a_device_file_is_refused():
    out, err, error = run_import_in_time("/dev/zero")
    assert error is not None
    assert err.strip() == "/dev/zero: error: is a device file, not a regular file"


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "sock.txt"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        out, err, error = run_import_in_time(path)
    assert err.strip() == f"{path}: error: is a socket, not a regular file"


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path):
    folder, outside = tmp_path / "reports", tmp_path / "outside"
    folder.mkdir()
    (outside / "more").mkdir(parents=True)
    secret = outside / "secret.txt"
    secret.write_text("Not for import.\n", encoding="utf-8")
    (outside / "more" / "other.txt").write_text("Not for import either.\n", encoding="utf-8")
    write_good(folder)
    (folder / "escape.txt").symlink_to(secret)
    (folder / "relative.txt").symlink_to(Path("..", "outside", "secret.txt"))
    (folder / "linked-folder").symlink_to(outside / "more", target_is_directory=True)
    out, err, error = run_import(folder)
    assert error is not None
    assert err.splitlines() == [
        f"{folder / 'escape.txt'}: error: is a symbolic link to a file outside {folder}; not followed",
        f"{folder / 'relative.txt'}: error: is a symbolic link to a file outside {folder}; not followed",
    ]
    assert list(Article.objects.values_list("title", flat=True)) == ["A good report."]
    assert "1 imported, 0 skipped, 2 failed" in out


def test_symlinks_within_the_folder_are_followed_once(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "wire.dat").write_text("Wire copy.\n", encoding="utf-8")
    (tmp_path / "wire.txt").symlink_to(Path("raw", "wire.dat"))
    (tmp_path / "loop").symlink_to(".", target_is_directory=True)
    out, err, error = run_import(tmp_path)
    assert error is None and err == ""
    assert list(Article.objects.values_list("title", flat=True)) == ["Wire copy."]
    assert "1 imported, 0 skipped, 0 failed" in out


def test_a_folder_named_through_a_symlink_keeps_its_inner_links(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "raw.dat").write_text("Wire copy.\n", encoding="utf-8")
    (real / "wire.txt").symlink_to("raw.dat")
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    out, err, error = run_import(tmp_path / "alias")
    assert error is None and err == ""
    assert Article.objects.get().body == "Wire copy.\n"


def test_a_symlink_named_on_the_command_line_is_followed(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "link.txt"
    link.symlink_to(write_good(tmp_path / "elsewhere"))
    out, err, error = run_import(link)
    assert error is None
    assert Article.objects.get().title == "A good report."


def test_a_symlink_named_on_the_command_line_must_still_be_a_regular_file(tmp_path):
    pipe, link = tmp_path / "pipe", tmp_path / "link.txt"
    os.mkfifo(pipe)
    link.symlink_to(pipe)
    out, err, error = run_import_in_time(link)
    assert err.strip() == f"{link}: error: is a named pipe (FIFO), not a regular file"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes("\ufeffCafé report\nBody – with a dash.\n".encode(encoding))
    out, err, error = run_import(path)
    assert error is None and err == ""
    article = Article.objects.get()
    assert (article.title, article.body) == ("Café report", "Café report\nBody – with a dash.\n")


def test_crlf_and_lone_cr_are_stored_as_lf_and_hash_like_the_lf_copy(tmp_path):
    crlf, cr, lf = tmp_path / "crlf.txt", tmp_path / "cr.txt", tmp_path / "lf.txt"
    crlf.write_bytes(b"Headline\r\n\r\nBody line.\r\n")
    cr.write_bytes(b"Headline\r\rBody line.\r")
    lf.write_bytes(b"Headline\n\nBody line.\n")
    out, err, error = run_import(crlf, cr, lf)
    assert error is None
    article = Article.objects.get()
    assert article.body == "Headline\n\nBody line.\n"
    assert article.content_hash == hashlib.sha256(lf.read_bytes()).hexdigest()
    assert f"{cr}: skipped, same text already imported as article #{article.pk}" in out
    assert f"{lf}: skipped, same text already imported as article #{article.pk}" in out
