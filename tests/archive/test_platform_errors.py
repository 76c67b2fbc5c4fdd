"""Bad export files: each refused with its place in the file, a non-zero exit, and the site
exactly as it was."""

from __future__ import annotations

import pytest

from tests.archive.helpers import site_state
from tests.archive.platform_helpers import FIXTURES, run, write
from tests.factories import make_article

pytestmark = pytest.mark.django_db

DISQUS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
)
THREAD = (
    '<thread dsq:id="1"><link>https://old.example.com/articles/kashmir-talks/</link>'
    "<title>t</title></thread>\n"
)


def post(
    ident: str, *, thread: str = "1", parent: str | None = None, when: str = "2020-01-01T10:00:00Z"
) -> str:
    up = f'<parent dsq:id="{parent}"/>' if parent else ""
    return (
        f'<post dsq:id="{ident}"><message><![CDATA[<p>نص {ident}</p>]]></message>'
        f"<createdAt>{when}</createdAt><author><name>Guest</name><isAnonymous>true</isAnonymous>"
        f'</author><thread dsq:id="{thread}"/>{up}</post>\n'
    )


def disqus(*parts: str) -> str:
    return DISQUS_HEAD + "".join(parts) + "</disqus>\n"


@pytest.fixture(autouse=True)
def article():
    return make_article(slug="kashmir-talks", title="محادثات كشمير")


def refused(tmp_path, text: str | bytes, command: str = "import_disqus", *args: str):
    before = site_state()
    outcome = run(command, write(tmp_path, text), *args)
    assert not outcome.ok, outcome.stdout
    assert "nothing was imported" in outcome.stderr or "Cannot read" in outcome.stderr
    assert site_state() == before
    return outcome.stderr


def test_a_good_minimal_file_goes_in(tmp_path):
    # The baseline the cases below break, one thing at a time.
    outcome = run(
        "import_disqus", write(tmp_path, disqus(THREAD, post("1"), post("2", parent="1")))
    )
    assert outcome.ok, outcome.stderr
    assert "2 new" in outcome.stdout


def test_malformed_xml_names_its_line(tmp_path):
    text = disqus(THREAD, post("1")).replace("</post>", "</pots>", 1)
    assert "line 4: The file is not well-formed XML" in refused(tmp_path, text)


def test_a_truncated_file_names_where_it_stops_and_changes_nothing(tmp_path):
    text = disqus(THREAD, post("1"), post("2"), post("3"))
    cut = text[: text.index('<post dsq:id="3"') + 40]
    error = refused(tmp_path, cut)
    assert "line 6: The file is not well-formed XML" in error


def test_a_post_whose_thread_is_missing(tmp_path):
    error = refused(tmp_path, disqus(THREAD, post("1"), post("2", thread="77")))
    assert "line 5: The comment belongs to a thread that is not in the file." in error


def test_a_reply_to_a_comment_that_is_not_there(tmp_path):
    error = refused(tmp_path, disqus(THREAD, post("1", parent="99")))
    assert "line 4: The comment answers 99, which is not in the file." in error


def test_parents_in_a_circle(tmp_path):
    error = refused(
        tmp_path, disqus(THREAD, post("1"), post("2", parent="3"), post("3", parent="2"))
    )
    assert "answer each other in a circle" in error
    assert "lines 5, 6" in error


def test_duplicate_ids(tmp_path):
    error = refused(tmp_path, disqus(THREAD, post("1"), post("1")))
    assert "line 5: Another comment has the same id 1 (line 4)." in error


def test_every_error_of_the_file_is_named_at_once(tmp_path):
    error = refused(tmp_path, disqus(THREAD, post("1"), post("1"), post("2", parent="98")))
    assert "line 5:" in error and "line 6:" in error
    assert "2 errors: nothing was imported." in error


def test_a_date_that_cannot_be_read(tmp_path):
    error = refused(tmp_path, disqus(THREAD, post("1"), post("2", when="yesterday")))
    assert "line 5: <createdAt> is not a time: yesterday" in error


def test_billion_laughs_is_refused_without_expanding_anything(tmp_path):
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        + "".join(
            f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
            for n in range(1, 10)
        )
        + ']>\n<disqus xmlns="http://disqus.com"><thread><title>&lol9;</title></thread></disqus>\n'
    )
    error = refused(tmp_path, laughs)
    assert "document type (DOCTYPE)" in error


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    text = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE disqus [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        + disqus(THREAD, post("1")).split("\n", 1)[1].replace("نص 1", "&xxe;")
    )
    error = refused(tmp_path, text)
    assert "document type (DOCTYPE)" in error
    assert "TOP-SECRET" not in error


def test_a_file_that_is_not_a_disqus_export(tmp_path):
    error = refused(tmp_path, "<rss><channel/></rss>")
    assert "line 1: This is not a Disqus export" in error


def test_not_xml_at_all(tmp_path):
    error = refused(tmp_path, b'{"format": "minbar-archive"}')
    assert "line 1: The file is not well-formed XML" in error


def test_a_missing_file():
    outcome = run("import_disqus", "/nonexistent/export.xml")
    assert not outcome.ok and "Cannot read /nonexistent/export.xml" in outcome.stderr


# --- WordPress -------------------------------------------------------------------------------


def test_a_wxr_with_an_unknown_wordpress_namespace(tmp_path):
    text = (FIXTURES / "wordpress.xml").read_text().replace("export/1.2/", "export/9.9/")
    error = refused(tmp_path, text, "import_wordpress", "--time-zone", "UTC")
    assert "Unknown WordPress export namespace http://wordpress.org/export/9.9/" in error


def test_a_wxr_element_in_an_unknown_wordpress_namespace(tmp_path):
    text = (
        (FIXTURES / "wordpress.xml")
        .read_text()
        .replace(
            'xmlns:wp="http://wordpress.org/export/1.2/"',
            'xmlns:wp="http://wordpress.org/export/1.2/"\n\txmlns:wp3="http://wordpress.org/export/3.0/"',
        )
    )
    error = refused(tmp_path, text, "import_wordpress", "--time-zone", "UTC")
    assert "Unknown WordPress export namespace http://wordpress.org/export/3.0/" in error


def test_a_wxr_date_that_cannot_be_read(tmp_path):
    text = (
        (FIXTURES / "wordpress.xml")
        .read_text()
        .replace("2019-05-01 09:15:00", "1 May 2019, morning")
    )
    error = refused(tmp_path, text, "import_wordpress", "--time-zone", "UTC")
    assert "line 31: <comment_date_gmt> is not a time: 1 May 2019, morning" in error


def test_a_wxr_status_it_does_not_know(tmp_path):
    text = (
        (FIXTURES / "wordpress.xml")
        .read_text()
        .replace("<wp:comment_approved><![CDATA[spam]]>", "<wp:comment_approved><![CDATA[maybe]]>")
    )
    error = refused(tmp_path, text, "import_wordpress", "--time-zone", "UTC")
    assert "line 80: Unknown comment status maybe" in error


def test_a_wxr_duplicate_comment_id(tmp_path):
    text = (
        (FIXTURES / "wordpress.xml")
        .read_text()
        .replace("<wp:comment_id>201</wp:comment_id>", "<wp:comment_id>101</wp:comment_id>")
    )
    error = refused(tmp_path, text, "import_wordpress", "--time-zone", "UTC")
    assert "line 112: Another comment has the same id 101 (line 31)." in error


def test_an_unknown_time_zone(tmp_path):
    outcome = run("import_wordpress", str(FIXTURES / "wordpress.xml"), "--time-zone", "Mars/Base")
    assert not outcome.ok and "Unknown time zone Mars/Base" in outcome.stderr
