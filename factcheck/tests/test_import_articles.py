from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

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
        ("Caf\u00e9 au lait".encode("latin-1"), "is not UTF-8 text (invalid byte at position 3)"),
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
