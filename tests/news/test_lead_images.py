"""Lead images: the newsroom uploads one, readers, link previews, crawlers and feeds get it."""

from __future__ import annotations

import io
import os
import re

import extruct
import feedparser
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from minbar.news import actions, images
from minbar.news.errors import NewsError
from minbar.news.models import Article
from tests.factories import make_article, make_editor
from tests.news.test_workflow import admin_form

pytestmark = pytest.mark.django_db


def photo(width=1600, height=1000, kind="JPEG", name="photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), "#2a6f97")
    ImageDraw.Draw(image).ellipse((width // 4, height // 4, width // 2, height // 2), "#f4a261")
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def bomb() -> SimpleUploadedFile:
    """A few kilobytes of PNG that would decode to 400 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 100_000
    return SimpleUploadedFile("innocent.png", buffer.getvalue(), content_type="image/png")


def with_image(**fields) -> Article:
    article = make_article(**fields)
    return actions.check_set_lead_image(
        article, upload=photo(), alt="شعار أزرق ودائرة", caption="لقطة من الحدث", credit="منبر"
    )


def test_editor_uploads_a_lead_image_in_the_admin_and_its_renditions_are_made(client):
    client.force_login(make_editor())
    data = admin_form(status="published", image=photo(), image_alt="وصف الصورة")
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert (article.image_width, article.image_height) == (1600, 1000)
    for width in images.WIDTHS:
        for ext, fmt, _type in images.KINDS:
            name = images.rendition_name(article.image.name, width=width, ext=ext)
            with default_storage.open(name) as handle:
                made = Image.open(handle)
                assert made.format == fmt
                assert made.size == (width, images.height_for(width))


def test_editor_who_forgets_the_alt_text_is_told_in_arabic_and_keeps_the_title(client):
    client.force_login(make_editor())
    data = admin_form(title="عنوان لا يضيع", image=photo(), image_alt="  ")
    response = client.post(reverse("admin:news_article_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "صِف الصورة لمن لا يراها" in html
    assert "عنوان لا يضيع" in html
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (bomb, "قد تكون قنبلة ضغط"),
        (lambda: SimpleUploadedFile("x.jpg", b"not a photo at all", "image/jpeg"), "ليس صورة"),
        (lambda: photo(kind="GIF", name="x.gif"), "JPEG أو PNG أو WebP"),
        (lambda: photo(width=800, height=450), "1200×675"),
    ],
    ids=["decompression-bomb", "not-an-image", "gif", "too-small"],
)
def test_editor_uploading_a_bad_image_gets_a_clear_arabic_error(client, upload, message):
    client.force_login(make_editor())
    data = admin_form(title="خبر بصورة معيبة", image=upload(), image_alt="وصف")
    response = client.post(reverse("admin:news_article_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html, re.findall(r'<ul class="errorlist.*?</ul>', html, re.S)
    assert "خبر بصورة معيبة" in html
    assert not Article.objects.exists()


def test_an_image_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1024)
    with pytest.raises(NewsError, match="الحد الأقصى") as refused:
        actions.check_set_lead_image(make_article(), upload=photo(), alt="وصف")
    assert (refused.value.code, refused.value.field) == ("image_too_large", "image")


def test_the_database_refuses_an_image_without_alt_text():
    from django.db import IntegrityError, transaction

    article = with_image()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(image_alt="")


def test_renditions_are_made_once_per_size():
    article = with_image()
    name = images.rendition_name(article.image.name, width=800, ext="webp")
    before = os.stat(default_storage.path(name)).st_mtime_ns
    assert actions.do_make_image_renditions(article) == []
    assert os.stat(default_storage.path(name)).st_mtime_ns == before


def test_reader_gets_a_picture_with_webp_jpeg_sizes_and_dimensions(client):
    article = with_image()
    html = client.get(article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="lead-image">.*?</figure>', html, re.S).group(0)
    assert re.search(
        r'<source type="image/webp" srcset="[^"]*-400\.webp 400w, [^"]*-800\.webp 800w, '
        r'[^"]*-1200\.webp 1200w" sizes="[^"]+">',
        figure,
    )
    img = re.search(r"<img [^>]+>", figure).group(0)
    assert 'width="1200" height="675"' in img and 'alt="شعار أزرق ودائرة"' in img
    assert re.search(r'srcset="[^"]*\.jpg 400w', img)
    assert "لقطة من الحدث" in figure and "منبر" in figure
    # The files the page names are served (by the app here; by nginx in production).
    src = re.search(r'src="([^"]+)"', img).group(1)
    assert src.startswith("/media/renditions/")


def test_link_previews_and_crawlers_get_the_large_image(client):
    article = with_image()
    html = client.get(article.get_absolute_url()).content.decode()
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html))
    assert meta["og:image"].startswith("http://testserver/media/renditions/")
    assert meta["og:image"].endswith("-1200.jpg")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "675")
    assert meta["twitter:card"] == "summary_large_image"
    data = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    news = next(d for d in data if d["@type"] == "NewsArticle")
    assert news["image"][0]["url"] == meta["og:image"]
    assert news["image"][0]["width"] >= 1200


def test_feeds_carry_the_image(client):
    with_image(title="خبر مصور")
    for url in ("/feeds/rss/", "/feeds/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo
        entry = feed.entries[0]
        enclosures = [link for link in entry.links if link.get("rel") == "enclosure"]
        assert enclosures and enclosures[0]["type"] == "image/jpeg", url
        assert entry.media_content[0]["url"].endswith("-1200.jpg")
        assert entry.media_content[0]["width"] == "1200"


def test_the_media_view_serves_files_only_when_told(client, settings):
    article = with_image()
    url = article.lead_image.src
    settings.MINBAR_SERVE_MEDIA = False
    assert client.get(url).status_code == 404
    settings.MINBAR_SERVE_MEDIA = True
    response = client.get(url)
    assert response.status_code == 200 and "immutable" in response["Cache-Control"]
