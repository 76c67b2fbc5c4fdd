"""Arabic is the default, not a translation: every string the code and templates mark for
translation must have its Arabic form (plurals: all six) in the catalogues Django loads."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
# Strings that read the same in Arabic (brand names, formats).
SAME_IN_ARABIC: set[str] = {"RSS", "Atom", "English", "العربية"}
CATALOGUES = [
    ROOT / "locale/ar/LC_MESSAGES/django.po",
    *sorted(ROOT.glob("minbar/*/locale/ar/LC_MESSAGES/django.po")),
]
# Our Arabic for Django's and allauth's strings that their own Arabic catalogues lack
# (docs/decisions/0007-production-email-and-catalogue-gaps.md).
UPSTREAM = sorted(ROOT.glob("locale_upstream/ar/LC_MESSAGES/*.po"))


def extracted_entries(tmp_path: Path) -> list[polib.POEntry]:
    """Run makemessages on a copy of the project and collect every msgid it finds."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed; `apt-get install gettext`")
    copy = tmp_path / "project"
    for name in ("minbar", "templates", "config", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    entries = []
    for po_file in copy.rglob("locale/ar/LC_MESSAGES/django.po"):
        entries.extend(e for e in polib.pofile(str(po_file)) if not e.obsolete)
    return entries


def test_every_marked_string_has_its_arabic_form(tmp_path):
    entries = extracted_entries(tmp_path)
    assert len(entries) > 300, "makemessages found suspiciously few strings"
    missing = []
    with translation.override("ar"):
        for entry in entries:
            if entry.msgid in SAME_IN_ARABIC:
                continue
            if entry.msgid_plural:
                forms = {
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                    for n in (0, 1, 2, 5, 11, 100)
                }
                if forms & {entry.msgid, entry.msgid_plural}:
                    missing.append(entry.msgid)
            else:
                text = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                if text == entry.msgid:
                    missing.append(entry.msgid)
    assert not missing, f"{len(missing)} strings have no Arabic: {missing[:20]}"


def test_the_catalogues_carry_six_arabic_plural_forms():
    for po_file in [*CATALOGUES, *UPSTREAM]:
        po = polib.pofile(str(po_file))
        assert "nplurals=6" in po.metadata.get("Plural-Forms", ""), po_file
        for entry in po:
            if entry.msgid_plural and not entry.obsolete:
                assert len(entry.msgstr_plural) == 6 and all(entry.msgstr_plural.values()), (
                    po_file,
                    entry.msgid,
                )


def test_compiled_catalogues_match_their_sources():
    for po_file in [*CATALOGUES, *UPSTREAM]:
        po = polib.pofile(str(po_file))
        mo = polib.mofile(str(po_file.with_suffix(".mo")))
        compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in mo}
        for entry in po.translated_entries():
            if "fuzzy" in entry.flags:
                continue
            got = compiled.get((entry.msgctxt, entry.msgid))
            assert got is not None, f"{po_file}: {entry.msgid!r} is not compiled; run make messages"
            if entry.msgid_plural:
                assert {int(k): v for k, v in got[1].items()} == {
                    int(k): v for k, v in entry.msgstr_plural.items()
                }, entry.msgid
            else:
                assert got[0] == entry.msgstr, (
                    f"{po_file}: {entry.msgid!r} differs; run make messages"
                )


def test_the_upstream_catalogue_holds_only_strings_that_django_or_allauth_use():
    """Each entry of locale_upstream/ is a msgid of an installed package (a typo, or a string a
    new Django no longer uses, would be dead weight that looks like a fix)."""
    import allauth
    import django

    packages = [Path(django.__file__).parent, Path(allauth.__file__).parent]
    assert [p.name for p in UPSTREAM] == ["django.po", "djangojs.po"]
    for po_file in UPSTREAM:
        known = {
            (e.msgctxt, e.msgid, e.msgid_plural or None)
            for package in packages
            for source in package.glob(f"**/locale/en/LC_MESSAGES/{po_file.name}")
            for e in polib.pofile(str(source))
        }
        ours = [(e.msgctxt, e.msgid, e.msgid_plural or None) for e in polib.pofile(str(po_file))]
        assert ours and not [entry for entry in ours if entry not in known], po_file
