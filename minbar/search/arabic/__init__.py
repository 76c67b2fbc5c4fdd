"""Arabic text for search and moderation: one normaliser, a light stemmer, one analyser.

This package owns how Arabic text is folded and cut into index terms, as pure functions: no
Django, no ORM, no I/O. It never decides what is indexed, stored or blocked; search backends,
username rules and moderation word lists call it. See `normalise` (the folds), `stem` and
`lexicon` (the stemmer and its word lists) and `analyser` (text → terms).
"""

from minbar.search.arabic.analyser import ANALYSER_VERSION, analyse, analyse_to_text, tokenise
from minbar.search.arabic.normalise import find_words, fold_for_matching, fold_username, normalise
from minbar.search.arabic.stem import stem

__all__ = [
    "ANALYSER_VERSION",
    "analyse",
    "analyse_to_text",
    "find_words",
    "fold_for_matching",
    "fold_username",
    "normalise",
    "stem",
    "tokenise",
]
