"""Template filters every page uses: dates, counts, scores and the language switch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString

from minbar.core import formatting
from minbar.core.formatting import text_direction
from minbar.core.formatting import text_language as guess

register = template.Library()


def _iso(value: dt.datetime) -> str:
    """Machine-readable time in the site's time zone, to the second."""
    from django.utils import timezone

    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.filter
def datetime_ar(value: dt.datetime | None) -> SafeString | str:
    """`<time datetime="ISO">15 يوليو 2022 10:29</time>`."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', _iso(value), formatting.format_datetime(value)
    )


@register.filter
def date_only(value: dt.datetime | None) -> SafeString | str:
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', _iso(value), formatting.format_date(value))


@register.filter
def hijri(value: dt.datetime | None) -> str:
    return formatting.format_hijri(value) if value else ""


@register.filter
def num(value: int | str | None) -> str:
    return formatting.format_count(int(value or 0))


@register.filter
def score(value: int | str | None) -> SafeString:
    """A signed score isolated from the surrounding right-to-left text."""
    return format_html(
        '<bdi class="score" dir="ltr">{}</bdi>', formatting.format_score(int(value or 0))
    )


@register.simple_tag
def comments_heading(count: int | str | None) -> str:
    return formatting.comments_heading(int(count or 0))


@register.simple_tag(takes_context=True)
def url_in_language(context: template.Context, language_code: str) -> str:
    """The current page's address in another language (the language switch)."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language_code)


@register.filter
def language_name(code: object) -> str:
    """The name of the language `code` in the reader's language, for codes typed by hand or
    imported ("EN", "ar-SA", "xx"): the base language's name when Django knows it, otherwise
    the code as it is (Django's own filter raises on an unknown code)."""
    from django.utils.translation import get_language_info

    code = str(code or "").strip()
    for candidate in (code.lower(), code.lower().replace("_", "-").split("-")[0]):
        try:
            return get_language_info(candidate)["name_translated"]
        except KeyError:
            continue
    return code


_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: Any) -> SafeString:
    """Structured data for crawlers: one `<script type="application/ld+json">` per dictionary.
    `<`, `>` and `&` are written as JSON escapes, so no text in the data (a title holding
    "</script>") can end the element or open markup; parsers read the same characters back."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.safestring import mark_safe

    blocks = data if isinstance(data, list | tuple) else [data] if data else []
    scripts = []
    for block in blocks:
        text = json.dumps(block, cls=DjangoJSONEncoder, ensure_ascii=False)
        scripts.append(f'<script type="application/ld+json">{text.translate(_LD_ESCAPES)}</script>')
    return mark_safe("\n".join(scripts))


@register.filter
def text_dir(code: object) -> str:
    """ "rtl" or "ltr" for a language code, so content carries its own direction on a page of
    the other edition ("ar" inside /en/ pages, "en" inside Arabic ones)."""
    return text_direction(code)


@register.filter
def text_language(text: object) -> str:
    return guess(text)


@register.simple_tag(takes_context=True)
def absolute_url_in_language(context: template.Context, language_code: str) -> str:
    """The current page's full address in another edition (hreflang alternates)."""
    request = context.get("request")
    if request is None:
        return ""
    return request.build_absolute_uri(url_in_language(context, language_code))
