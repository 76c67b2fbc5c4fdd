"""The analyser's dictionary: which bare words exist, and which broken plural has which
singular. Read once from `data/` (built by `build_lexicon` from Ayaspell; see data/NOTICE).

(And a third file, the past forms of weak verbs with their stems.) All are normalised (see
`normalise`): `is_word("مدينه")`, `singular("مدن") == "مدينه"`.
Changing the files changes analyser output: bump `ANALYSER_VERSION`.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["is_word", "lemma", "singular", "takes"]

DATA = Path(__file__).with_name("data")


@functools.cache
def _words() -> dict[str, str]:
    """word → the codes of the endings it takes (see build_lexicon.ENDING_CODES)."""
    words: dict[str, str] = {}
    for line in (DATA / "words.txt").read_text(encoding="utf-8").splitlines():
        word, _, codes = line.partition("\t")
        if word:
            words[word] = codes
    return words


def _pairs(name: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        form, _, lemma = line.partition("\t")
        if form and lemma:
            pairs[form] = lemma
    return pairs


@functools.cache
def _plurals() -> dict[str, str]:
    return _pairs("plurals.tsv")


@functools.cache
def _lemmas() -> dict[str, str]:
    """Broken plurals and weak verbs' past forms, by the form."""
    return {**_pairs("verbs.tsv"), **_plurals()}


def is_word(word: str) -> bool:
    """True when the dictionary lists `word` (normalised, without clitics or endings)."""
    return word in _words() or word in _lemmas()


def takes(word: str, code: str) -> bool:
    """Whether the dictionary lets `word` take the ending `code` (d dual, f feminine ة,
    m plural -ون, n nisba -ي, t plural -ات)."""
    return code in _words().get(word, "")


def singular(word: str) -> str | None:
    """The singular of a broken plural (normalised), or None."""
    return _plurals().get(word)


def lemma(word: str) -> str:
    """`word`, or its singular when it is a broken plural, or its stem when it is the past
    tense of a weak verb that the dictionary lists whole ("دعت" → "دعا")."""
    return _lemmas().get(word, word)
