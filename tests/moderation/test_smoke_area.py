import pytest
from django.urls import reverse

from tests.moderation.conftest import comment_by, post_comment

pytestmark = pytest.mark.django_db


def test_smoke(client, article, reader, moderator, staff):
    c = comment_by(article, reader)
    client.force_login(reader)
    r = client.get(reverse("moderation:report", args=[c.pk]))
    print(r.status_code)
    client.force_login(moderator)
    for name in ["pending", "reported", "rejected"]:
        r = client.get(reverse("moderation:queue", args=[name]))
        assert r.status_code == 200, r.content[:3000]
    r = client.get(reverse("moderation:comment", args=[c.pk]))
    assert r.status_code == 200
    r = client.get(reverse("moderation:reader", args=[reader.pk]))
    assert r.status_code == 200
    r = client.get(reverse("moderation:words"))
    assert r.status_code == 200
    r = client.get(reverse("moderation:articles"))
    assert r.status_code == 200
    r = client.get(reverse("moderation:article", args=[article.pk]))
    assert r.status_code == 200
    client.force_login(staff)
    assert client.get(reverse("moderation:settings")).status_code == 200
    assert client.get(reverse("moderation:log")).status_code == 200
    r = client.post(reverse("moderation:reject", args=[c.pk]), {"reason": "سبام"})
    assert r.status_code == 302
    assert client.get(reverse("moderation:queue", args=["rejected"])).status_code == 200
    r = post_comment(client, article, "hello")
    assert r.status_code == 302
