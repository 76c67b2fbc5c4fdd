"""Build the analyser's dictionary files from the Arabic Hunspell dictionary (Ayaspell).

    apt-get install hunspell-ar
    .venv/bin/python -m minbar.search.arabic.build_lexicon [/usr/share/hunspell/ar]

A development tool: the analyser never reads Hunspell, only the two files written here into
`minbar/search/arabic/data/` (see `dictionary.py` and docs/decisions/0010):

* `words.txt`: every word the dictionary lists, normalised, one a line, sorted. These are bare
  forms (no clitics, no sound-plural or feminine endings: Hunspell adds those by affix rules),
  which is what the stemmer needs to confirm that a remainder is a word.
* `verbs.tsv`: a past-tense verb form the dictionary lists whole (weak verbs, whose endings no
  affix rule can add: دعت, نفت, التقت) → the verb's stem as the dictionary gives it (دعا, نفى,
  التقى); left out when the form is also a noun (بنت is "girl" before it is "she built").
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
    (r"^(.)وا(.)$", (r"\1ائ\2",)),  # نواب نائب
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
_COMPILED = tuple((re.compile(p), templates) for p, templates in PATTERNS)


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
        # AM aliases, numbered from 1 after the line that counts them
        morphology_aliases = [line[3:] for line in aff if line.startswith("AM ")][1:]
        # word -> stems it is the past tense of
        self.past_of: dict[str, set[str]] = defaultdict(set)
        # word -> list of flag sets of its noun entries (entries without a morphology field)
        self.nouns: dict[str, list[set[str]]] = defaultdict(list)
        self.words: set[str] = set()
        for line in base.with_suffix(".dic").read_text(encoding="utf-8").splitlines()[1:]:
            if not line or line.startswith(":") or line.endswith(".dic"):
                continue
            entry, _, morphology = line.partition("\t")
            word, _, flag = entry.partition("/")
            word = word.strip()
            if not word or word.isdigit():
                continue
            self.words.add(word)
            if not morphology.strip():
                self.nouns[word].append(aliases[int(flag)] if flag.isdigit() else set())
            elif morphology.strip().isdigit():
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
        if others or folded in pairs or (len(plural) == 3 and plural in singular_folds[folded]):
            # Another word once folded (أحداث / إحداث), or a three-letter word that is also a
            # singular (جمل: camel, and sentences): too ambiguous to map.
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
        found.sort(
            key=lambda c: any(dictionary.takes_sound_plural(w) for w in singular_folds[c])
        )
        if found:
            pairs[folded] = found[0]
    return pairs


def verb_stems(dictionary: Hunspell) -> dict[str, str]:
    """Normalised past-tense form → normalised stem, where they differ and are unambiguous."""
    stems: dict[str, set[str]] = defaultdict(set)
    nouns = {normalise(word) for word in dictionary.nouns}
    for word, found in dictionary.past_of.items():
        stems[normalise(word)].update(normalise(stem) for stem in found)
    return {
        form: next(iter(found))
        for form, found in stems.items()
        if len(found) == 1 and form not in found and form not in nouns
    }


def main(argv: list[str]) -> int:
    base = Path(argv[1] if len(argv) > 1 else "/usr/share/hunspell/ar")
    dictionary = Hunspell(base)
    words = sorted({w for w in (normalise(word) for word in dictionary.words) if len(w) > 1})
    pairs = plural_pairs(dictionary)
    DATA.mkdir(exist_ok=True)
    (DATA / "words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    (DATA / "plurals.tsv").write_text(
        "".join(f"{p}\t{s}\n" for p, s in sorted(pairs.items())), encoding="utf-8"
    )
    verbs = verb_stems(dictionary)
    (DATA / "verbs.tsv").write_text(
        "".join(f"{form}\t{stem}\n" for form, stem in sorted(verbs.items())), encoding="utf-8"
    )
    print(f"{len(words)} words, {len(pairs)} broken plurals, {len(verbs)} verb forms → {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
