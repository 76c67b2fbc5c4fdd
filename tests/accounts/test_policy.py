"""The username and display-name rules as plain functions: tables of (input, expected)."""

from __future__ import annotations

import pytest

from minbar.accounts.policy import (
    display_name_problems,
    is_unclaimed_import,
    username_key,
    username_problems,
)


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("reem_k", []),
        ("Reem-K", []),
        ("كريم", []),
        ("کریم", []),  # Persian letters are Arabic script
        ("كريـــم", []),  # tatweel is allowed, and folded away in the key
        ("أحمد_٢٠٢٤", []),
        ("user۳", []),
        ("ab", ["length"]),
        ("كـــر", ["length"]),
        ("a" * 30, []),
        ("a" * 31, ["length"]),
        ("re\u202eem", ["invisible"]),
        ("re\u200bem", ["invisible"]),
        ("re\u2066em\u2069", ["invisible"]),
        ("re\x00em", ["invisible"]),
        ("reem\u2028", ["invisible"]),  # line separator
        ("reem k", ["characters"]),
        ("reem\u00a0k", ["characters"]),  # no-break space
        ("reem.k", ["characters"]),
        ("مُحمد", ["characters"]),
        ("ﻛﺮﻳﻢ", ["characters"]),
        ("ｒｅｅｍ", ["characters"]),
        ("reem१", ["characters"]),  # Devanagari digit
        ("reemкa", ["mixed-scripts"]),
        ("ريمa", ["mixed-scripts"]),
        ("123", ["no-letter"]),
        ("_-", ["no-letter", "length"]),
        ("ADMIN", ["reserved"]),
        ("منبر", ["reserved"]),
        ("re\u200bem k\u0430", ["invisible", "characters", "mixed-scripts"]),
    ],
)
def test_username_problems(name: str, problems: list[str]) -> None:
    assert username_problems(name) == problems


@pytest.mark.parametrize(
    ("a", "b"),
    [("Reem_K", "reem_k"), ("كريم", "كريـــم"), ("كريم", "کریم"), ("user3", "user٣")],
)
def test_lookalike_usernames_share_a_key(a: str, b: str) -> None:
    assert username_key(a) == username_key(b)


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("", []),
        ("ريم الكاتبة", []),
        ("<b>ريم</b>", []),  # HTML is text; templates escape it
        ("ر" * 60, []),
        ("ر" * 61, ["length"]),
        ("ريم\u202e", ["invisible"]),
        ("ريم\u200d", ["invisible"]),
        ("ريم\t", ["invisible"]),
    ],
)
def test_display_name_problems(name: str, problems: list[str]) -> None:
    assert display_name_problems(name) == problems


@pytest.mark.parametrize(
    ("is_active", "usable", "signed_in", "claimable"),
    [
        (False, False, False, True),  # made by the importer, never used
        (False, True, False, False),  # deactivated reader with a password
        (False, False, True, False),  # someone who once signed in
        (True, False, False, False),
    ],
)
def test_only_unclaimed_imports_are_claimable(is_active, usable, signed_in, claimable) -> None:
    found = is_unclaimed_import(
        is_active=is_active, has_usable_password=usable, has_signed_in=signed_in
    )
    assert found is claimable
