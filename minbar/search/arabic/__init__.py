"""Arabic text for search and moderation: one normaliser, a dictionary stemmer, one analyser.

This package owns how Arabic text is folded and cut into index terms, as pure functions: no
Django, no ORM, no network. It never decides what is indexed, stored or blocked; search
backends, username rules and moderation word lists call it. See `normalise` (the folds), `stem`
(clitics and endings off only where `dictionary` confirms the rest is a word; `lexicon` adds
protected words and countries), `analyser` (text → terms), and `build_lexicon` (how the
dictionary files in `data/` are made from Ayaspell; decision 0010).
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
