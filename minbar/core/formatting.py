"""Dates and numbers as Arabic readers expect them (and English ones, under /en/)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
MINUS = "\u2212"

HIJRI_MONTHS = [
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
]  # fmt: skip


def digits(text: str) -> str:
    """Western digits by default; Arabic-Indic on Arabic pages when the site asks for them."""
    if settings.MINBAR_ARABIC_DIGITS and translation.get_language() == "ar":
        return text.translate(_ARABIC_INDIC)
    return text


def format_datetime(value: dt.datetime) -> str:
    """`15 يوليو 2022 10:29` in the site's time zone (month names from the active language)."""
    local = timezone.localtime(value)
    return digits(date_format(local, "j F Y H:i"))


def format_date(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return digits(date_format(value, "j F Y"))


def format_hijri(value: dt.datetime) -> str:
    """The Hijri (Umm al-Qura) date, e.g. `16 ذو الحجة 1443 هـ`; English transliteration aside."""
    from hijridate import Gregorian

    local = timezone.localtime(value).date()
    try:
        hijri = Gregorian(local.year, local.month, local.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    if translation.get_language() == "ar":
        return digits(f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} هـ")
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def format_count(value: int) -> str:
    return digits(str(value))


def format_score(value: int) -> str:
    """A score with its sign in front: `+2`, `0`, `−2` (a true minus sign, not a hyphen)."""
    if value > 0:
        return digits(f"+{value}")
    if value < 0:
        return digits(f"{MINUS}{-value}")
    return digits("0")


def comments_heading(count: int) -> str:
    """`لا تعليقات`, `تعليق واحد`, `تعليقان`, `5 تعليقات`, `11 تعليقًا`, `100 تعليق` …"""
    from django.utils.translation import ngettext

    if count == 0:
        return _("No comments")
    return ngettext("%(count)s comment", "%(count)s comments", count) % {
        "count": format_count(count)
    }


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ku", "ckb", "sd", "ug", "yi", "dv"})


def text_direction(code: object) -> str:
    """The writing direction of a language code ("ar", "ar-SA", "EN"): "rtl" or "ltr"."""
    base = str(code or "").strip().lower().replace("_", "-").split("-")[0]
    return "rtl" if base in RTL_LANGUAGES else "ltr"


def text_language(text: object) -> str:
    """ "ar" when most letters of `text` are Arabic, "" (unknown, per HTML) otherwise: readers'
    comments carry no language of their own, but an Arabic one on an English page must say so
    (screen readers choose their voice by it)."""
    letters = [c for c in str(text or "") if c.isalpha()]
    if not letters:
        return ""
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    return "ar" if arabic * 2 >= len(letters) else ""
