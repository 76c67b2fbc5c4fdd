"""Small readers of what the account pages answer: parsed HTML and the mail outbox."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.core import mail

PASSWORD = "a-long-pass-phrase-7"


class Html(HTMLParser):
    """Elements with their attributes and text content, enough to assert on a page."""

    VOID = frozenset({"meta", "link", "br", "input", "img", "hr"})

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self._open: list[tuple[str, dict[str, str | None], list[str]]] = []
        self._parents: list[dict[str, str | None] | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.elements.append(element)
        self._parents.append(self._open[-1][1] if self._open else None)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element[2].append(data)

    def all(self, tag: str, **attrs: str) -> list[tuple[dict, str]]:
        return [
            (a, "".join(text).strip())
            for t, a, text in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def text(self, tag: str, **attrs: str) -> str:
        found = self.all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> on the page"
        return found[0][1]

    def errors(self) -> list[str]:
        """The messages of every error list (allauth and Django forms render `ul.errorlist`)."""
        return [
            "".join(text).strip()
            for (tag, _, text), parent in zip(self.elements, self._parents, strict=True)
            if tag == "li" and parent is not None and "errorlist" in (parent.get("class") or "")
        ]

    def input_value(self, name: str) -> str | None:
        found = self.all("input", name=name)
        assert found, f"no input {name}"
        return found[0][0].get("value")


def page(response) -> Html:
    return Html(response.content.decode())


def signup_data(username: str, email: str | None = None, **extra: str) -> dict[str, str]:
    return {
        "username": username,
        "email": email or "reader@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def mail_link(pattern: str) -> str:
    """The first link in the last mail sent that matches `pattern` (a path fragment)."""
    assert mail.outbox, "no mail was sent"
    links = re.findall(r"https?://[^\s\"'<>]+", mail.outbox[-1].body)
    matching = [link for link in links if pattern in link]
    assert matching, f"no link with {pattern!r} in: {mail.outbox[-1].body}"
    return matching[0]


def verified(user):
    """The account with its address verified: sign-in needs one (ACCOUNT_EMAIL_VERIFICATION)."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )
    return user


def confirm_by_mail(client, *, to: str):
    """Follow the verification link mailed to `to` and confirm: what the reader does next."""
    sent = [m for m in mail.outbox if to in m.to]
    assert sent, f"no mail to {to}"
    links = re.findall(r"https?://[^\s\"'<>]+", sent[-1].body)
    link = next(link for link in links if "/confirm-email/" in link)
    path = link.split("://", 1)[1].split("/", 1)[1]
    return client.post("/" + path)


def count_hashes(monkeypatch) -> list[str]:
    """Every password hash computed from now on (made or checked), by the test's hasher: equal
    work is compared by counting hashes, never by timing them."""
    from django.contrib.auth import hashers

    hasher = hashers.get_hasher()
    computed: list[str] = []
    real = type(hasher).encode

    def encode(self, password, salt, *args, **kwargs):
        computed.append(type(self).__name__)
        return real(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(type(hasher), "encode", encode)
    return computed
