import pytest

from tests.factories import make_article


@pytest.mark.django_db
def test_reader_can_open_the_home_page_and_an_article(client):
    article = make_article(title="عنوان المقال")
    home = client.get("/")
    assert home.status_code == 200
    assert "عنوان المقال" in home.content.decode()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.content.decode()
