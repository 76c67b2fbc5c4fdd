"""Build the analyser's dictionary files from the Arabic Hunspell dictionary (Ayaspell).

    apt-get install hunspell-ar
    .venv/bin/python -m minbar.search.arabic.build_lexicon [/usr/share/hunspell/ar]

A development tool: the analyser never reads Hunspell, only the two files written here into
`minbar/search/arabic/data/` (see `dictionary.py` and docs/decisions/0010):

* `words.txt`: every word the dictionary lists (but verb forms that are a listed word plus a
  regular ending, see `regular_verb_forms`), normalised, one a line, sorted, with (after a
  tab) the endings its affix flags let it take: d dual, f feminine ة, m plural -ون, n nisba
  -ي, t plural -ات. These are bare forms (no clitics, no sound-plural or feminine endings:
  Hunspell adds those by affix rules), which is what the stemmer needs to confirm both that a
  remainder is a word and that it takes the ending it was found with.
* `verbs.tsv`: a past-tense verb form the dictionary lists whole (weak verbs, whose endings no
  affix rule can add: دعت, نفت, التقت) → the verb's stem as the dictionary gives it (دعا, نفى,
  التقى); left out when the form is also a noun (بنت is "girl" before it is "she built").
* `names.txt`: the proper names among them (places, people, companies), for which queries
  also look for other spellings (see `search.names`).
* `plurals.tsv`: broken plural → singular, both normalised. Hunspell does not link a plural to
  its singular, so the pairs are found by the regular broken-plural patterns (أفعال, فعول,
  فعلاء, مفاعل, مفاعيل, فعائل, فواعل, فعاليل, أفعلة, فعل …) and kept only when the dictionary
  confirms both sides: the plural is listed as a noun that takes no dual and no sound-plural
  ending (Hunspell's affix flags: a plural is not put in the dual, a verbal noun such as دخول
  is), and the singular is listed as a noun that does take the dual. A folded plural that is
  also a singular noun (أعلام / إعلام after hamza folding) is left out.

Ayaspell is offered under GPL 2+, LGPL 2.1+ or MPL 1.1; Minbar takes it under MPL 1.1 (see
data/NOTICE). Output is deterministic: the same dictionary gives the same files.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from minbar.search.arabic.normalise import normalise
from minbar.search.arabic.stem import is_arabic_word

DATA = Path(__file__).with_name("data")

# Broken plural patterns, in the order they are tried: (plural regex on the dictionary's own
# spelling, singular templates in order of preference). A template's \1 \2 … are the plural's
# root letters.
PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"^أ(.)(.)ا(.)$", (r"\1\2\3", r"\1\2\3ة")),  # أحزاب حزب, أطفال طفل, أسواق سوق
    (r"^آ(.)ا(.)$", (r"أ\1\2",)),  # آفاق أفق
    (r"^(.)(.)و(.)$", (r"\1\2\3", r"\1\2\3ي")),  # شعوب شعب, جنود جندي
    (r"^أ(.)(.)(.)اء$", (r"\1\2ي\3",)),  # أصدقاء صديق
    (r"^أ(.)(.)اء$", (r"\1\2ي\2",)),  # أطباء طبيب
    (r"^(.)(.)(.)اء$", (r"\1\2ي\3", r"\1ا\2\3")),  # وزراء وزير, علماء عالم
    (r"^(.)(.)ائ(.)$", (r"\1\2ي\3ة", r"\1\2ا\3ة", r"\1\2ي\3")),  # رسائل رسالة, وسائل وسيلة
    (r"^(.)وا(.)(.)$", (r"\1ا\2\3ة", r"\1ا\2\3")),  # عواصم عاصمة, شوارع شارع
    (r"^(.)وا([^ت])$", (r"\1ائ\2",)),  # نواب نائب (but قوات is قوة's)
    (r"^م(.)ا(.)ي(.)$", (r"م\1\2و\3", r"م\1\2ا\3", r"م\1\2\3")),  # مشاريع مشروع, مفاتيح مفتاح
    (r"^م(.)ا(.)(.)$", (r"م\1\2\3", r"م\1\2\3ة")),  # منازل منزل, مدارس مدرسة (see below)
    (r"^(.)(.)ا(.)ي(.)$", (r"\1\2\3و\4", r"\1ا\3و\4")),  # ملايين مليون, قوانين قانون
    (r"^أ(.)(.)(.)ة$", (r"\1\2ا\3",)),  # أسلحة سلاح, أجهزة جهاز
    (r"^(.)(.)ى$", (r"\1\2ية",)),  # قرى قرية
    (r"^(.)(.)(.)$", (r"\1\2ا\3", r"\1\2\3ة", r"\1\2ي\3ة")),  # كتب كتاب, دول دولة, مدن مدينة
    (r"^(.+)وات$", (r"\1اة",)),  # قنوات قناة
)
# فعول is also the verbal noun of many verbs (دخول, خروج, غروب), listed once as a noun that
# takes the dual: such a word is not taken for a plural.
_FUUL = re.compile(r"^(.)(.)و(.)$")
# Three-letter plurals are not generated when the word is also a verb (بين, ترك and سلط would
# become بيان, تريكة and سلطة). These, checked by hand, are everyday news plurals whose verb
# reading (مدّن, دوّل, …) is rare.
SHORT_PLURALS = (
    ("مدن", "مدينة"),
    ("دول", "دولة"),
    ("سفن", "سفينة"),
    ("صحف", "صحيفة"),
    ("قرى", "قرية"),
    ("جزر", "جزيرة"),
    ("قمم", "قمة"),
    ("سبل", "سبيل"),
)
_COMPILED = tuple((re.compile(p), templates) for p, templates in PATTERNS)


# Endings the dictionary says a noun takes, by the one-letter code words.txt gives them.
ENDING_CODES = {
    "t": {"ات"},  # feminine sound plural
    "d": {"ان", "تان"},  # dual
    "m": {"ون"},  # masculine sound plural
    "f": {"ة"},  # feminine
    "n": {"ي", "ية"},  # nisba adjective
}

_NAME_SECTIONS = {"أسماء", "القارات", "البلدان", "العواصم", "اسماء،أشخاص"}
_MISCELLANY = "مفرداتTB+مختلفات"
_NAME_FLAGS = "64"


class Hunspell:
    """The parts of an Ayaspell .dic/.aff pair this tool needs: words and their affix flags."""

    def __init__(self, base: Path) -> None:
        aff = base.with_suffix(".aff").read_text(encoding="utf-8").splitlines()
        aliases: list[set[str]] = [set()]
        adds: dict[str, set[str]] = defaultdict(set)
        for line in aff:
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "AF" and not parts[1].isdigit():
                flags = parts[1]
                aliases.append({flags[i : i + 2] for i in range(0, len(flags), 2)})
            elif len(parts) >= 4 and parts[0] == "SFX":
                adds[parts[1]].add(parts[3].split("/")[0])
        self.dual_flags = {flag for flag, added in adds.items() if added & {"ان", "تان"}}
        self.sound_flags = {flag for flag, added in adds.items() if added & {"ات", "ون"}}
        # What a noun's flags let it take, as the codes of words.txt.
        self.code_flags = {
            code: {flag for flag, added in adds.items() if added & endings}
            for code, endings in ENDING_CODES.items()
        }
        # AM aliases, numbered from 1 after the line that counts them
        morphology_aliases = [line[3:] for line in aff if line.startswith("AM ")][1:]
        # word -> stems it is the past tense of
        self.past_of: dict[str, set[str]] = defaultdict(set)
        # words listed with a morphology field (verb forms)
        self.verbs: set[str] = set()
        # word -> list of flag sets of its noun entries (entries without a morphology field)
        self.nouns: dict[str, list[set[str]]] = defaultdict(list)
        self.words: set[str] = set()
        # Proper names: Ayaspell's section of names (continents, countries, capitals, people),
        # and the names in its miscellany section (the entries that take only the clitics).
        self.names: set[str] = set()
        section = part = ""
        # Function words with their clitics, the interrogative أ on the article among them
        # ("أليمين" is أ + اليمين): the stemmer takes those apart itself.
        self.clitic_forms: set[str] = set()
        for line in base.with_suffix(".dic").read_text(encoding="utf-8").splitlines()[1:]:
            if line.endswith(".dic"):
                part = line
                continue
            if line.startswith("#"):
                section = line.strip("#").split("\t")[0]
                continue
            if not line or line.startswith(":") or line.endswith(".dic"):
                continue
            entry, _, morphology = line.partition("\t")
            word, _, flag = entry.partition("/")
            word = word.strip()
            if not word or word.isdigit():
                continue
            if part in ("stopwords.dic", "tools.dic") and word.startswith("أل"):
                self.clitic_forms.add(word)
            self.words.add(word)
            if section in _NAME_SECTIONS or (section == _MISCELLANY and flag == _NAME_FLAGS):
                self.names.add(word)
            if not morphology.strip():
                self.nouns[word].append(aliases[int(flag)] if flag.isdigit() else set())
            elif morphology.strip().isdigit():
                self.verbs.add(word)
                fields = morphology_aliases[int(morphology) - 1].split()
                if "is:pst" in fields:
                    stem = [f[3:] for f in fields if f.startswith("st:")]
                    self.past_of[word].update(stem)

    def is_plural_noun(self, word: str, *, strict: bool = False) -> bool:
        """Listed as a noun that takes no dual or sound-plural ending (`strict`: every time it
        is listed as a noun, not just once)."""
        plain = [not e & (self.dual_flags | self.sound_flags) for e in self.nouns.get(word, ())]
        return bool(plain) and (all(plain) if strict else any(plain))

    def is_singular_noun(self, word: str) -> bool:
        return any(e & self.dual_flags for e in self.nouns.get(word, ()))

    def codes(self, word: str) -> str:
        """The ENDING_CODES letters of the endings some noun entry of `word` takes."""
        flags = set().union(*self.nouns.get(word, [set()]))
        return "".join(code for code, have in self.code_flags.items() if flags & have)

    def takes_sound_plural(self, word: str) -> bool:
        return any(e & self.sound_flags for e in self.nouns.get(word, ()))


_HAMZA_KEY = str.maketrans(dict.fromkeys("أإآؤئ", "ء"))


def hamza_key(word: str) -> str:
    """The dictionary spelling with every hamza seat alike: a pattern moves the seat (شؤون is
    the plural of شأن), the dictionary spells each form with its own."""
    return word.translate(_HAMZA_KEY)


def plural_pairs(dictionary: Hunspell) -> dict[str, str]:
    """Normalised broken plural → normalised singular, confirmed by the dictionary."""
    singulars: dict[str, list[str]] = defaultdict(list)  # hamza key → singular nouns
    singular_folds: dict[str, set[str]] = defaultdict(set)  # normalised → spellings
    for word in dictionary.nouns:
        if dictionary.is_singular_noun(word):
            singulars[hamza_key(word)].append(word)
            singular_folds[normalise(word)].add(word)

    pairs: dict[str, str] = {}
    for plural in sorted(dictionary.nouns):
        if not dictionary.is_plural_noun(plural, strict=_FUUL.match(plural) is not None):
            continue
        folded = normalise(plural)
        others = singular_folds.get(folded, set()) - {plural}
        short_and_more = len(plural) == 3 and (
            plural in singular_folds[folded] or plural in dictionary.verbs
        )
        if others or folded in pairs or short_and_more:
            # Another word once folded (أحداث / إحداث), or a three-letter word that is also a
            # singular or a verb (جمل: camel and sentences; بين, ترك, سلط): too ambiguous.
            continue
        found: list[str] = []
        for pattern, templates in _COMPILED:
            match = pattern.match(plural)
            if match is None:
                continue
            for template in templates:
                for word in singulars.get(hamza_key(match.expand(template)), ()):
                    if normalise(word) != folded and normalise(word) not in found:
                        found.append(normalise(word))
        # A singular whose plural is sound (مدرس → مدرسون, كتيبة → كتيبات) comes after one
        # whose plural is not: مدارس is مدرسة's plural, مدن is not مدان's.
        found.sort(key=lambda c: any(dictionary.takes_sound_plural(w) for w in singular_folds[c]))
        if found:
            pairs[folded] = found[0]
    for plural, single in SHORT_PLURALS:
        pairs.setdefault(normalise(plural), normalise(single))
    return pairs


_REGULAR_ENDINGS = ("ت", "وا")


def regular_verb_forms(dictionary: Hunspell) -> set[str]:
    """Normalised verb forms (never nouns) that are a listed word plus a regular past ending:
    "أكدت" is listed as the past of the rare أكدى, but it is first أكد + ت, and the stemmer
    should read it so. The listed word must be a noun or itself a past tense: "التقت" is the
    past of التقى, not the jussive التقِ + ت."""
    nouns = {normalise(word) for word in dictionary.nouns}
    words = nouns | {normalise(word) for word in dictionary.past_of}
    found = set()
    for word in dictionary.verbs:
        form = normalise(word)
        if form in nouns:
            continue
        for ending in _REGULAR_ENDINGS:
            stem = form[: -len(ending)]
            if form.endswith(ending) and len(stem) >= 3 and stem in words:
                found.add(form)
                break
    return found


def verb_stems(dictionary: Hunspell, *, regular: set[str]) -> dict[str, str]:
    """Normalised past-tense form → normalised stem, where they differ and are unambiguous."""
    stems: dict[str, set[str]] = defaultdict(set)
    nouns = {normalise(word) for word in dictionary.nouns}
    for word, found in dictionary.past_of.items():
        stems[normalise(word)].update(normalise(stem) for stem in found)
    return {
        form: next(iter(found))
        for form, found in stems.items()
        if len(found) == 1 and form not in found and form not in nouns and form not in regular
    }


def main(argv: list[str]) -> int:
    base = Path(argv[1] if len(argv) > 1 else "/usr/share/hunspell/ar")
    dictionary = Hunspell(base)
    regular = regular_verb_forms(dictionary)
    folded_words = {normalise(word) for word in dictionary.words}
    codes: dict[str, set[str]] = defaultdict(set)
    for word in dictionary.words:
        folded = normalise(word)
        if word in dictionary.clitic_forms or (
            folded.startswith("ال")
            and len(folded) >= 5
            and word not in dictionary.verbs
            and folded[2:] in folded_words
        ):
            # Read as the article and a word, which the stemmer takes apart: "اليمين", and
            # after hamza folding "ألغاز" (riddles) is "الغاز" (the gas), far likelier in news.
            continue
        if len(folded) > 1 and is_arabic_word(folded) and folded not in regular:
            codes[folded].update(dictionary.codes(word))
    words = [f"{w}\t{''.join(sorted(c))}" if c else w for w, c in sorted(codes.items())]
    pairs = plural_pairs(dictionary)
    DATA.mkdir(exist_ok=True)
    (DATA / "words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    (DATA / "plurals.tsv").write_text(
        "".join(f"{p}\t{s}\n" for p, s in sorted(pairs.items())), encoding="utf-8"
    )
    names = sorted(
        {n for n in map(normalise, dictionary.names) if len(n) > 1 and is_arabic_word(n)}
    )
    (DATA / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    verbs = verb_stems(dictionary, regular=regular)
    (DATA / "verbs.tsv").write_text(
        "".join(f"{form}\t{stem}\n" for form, stem in sorted(verbs.items())), encoding="utf-8"
    )
    print(
        f"{len(words)} words ({len(names)} names), {len(pairs)} broken plurals, "
        f"{len(verbs)} verb forms → {DATA}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
