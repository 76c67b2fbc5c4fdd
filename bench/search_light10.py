"""Lucene's Arabic analysis (ArabicNormalizer + ArabicStemmer, "light10"), ported for the bench.

The reference the search dev-set bench compares Minbar with, written from the published
algorithm (Larkey, Ballesteros & Connell, "Light stemming for Arabic information retrieval",
as Lucene implements it), not from Lucene's source:

* normalise: alef with madda, hamza above or below → bare alef; alef maqsura → yeh; ta marbuta
  → heh; tatweel and the eight harakat (fathatan … sukun) removed. Nothing else: no NFKC (so
  presentation forms stay as they are), hamza on waw or yeh kept, no Persian letters folded.
* stem: at most one prefix, the first of ال وال بال كال فال لل و that the word starts with, when
  at least two letters remain (a bare و needs a word of four letters or more); then every
  suffix of ها ان ات ون ين يه ية ه ة ي in this order that the word ends with, each when at least
  two letters remain.

Like Lucene's ArabicAnalyzer, words are lowercased and every decimal digit becomes ASCII; the
analyzer's stop-word list is *not* applied (the bench's queries are content words).

    .venv/bin/python bench/search_light10.py --check   # compare with Debian's liblucene8-java

`--check` compiles a ten-line Java harness against /usr/share/java/lucene-*.jar (when java,
javac and the jars are there) and compares the port with the real analyzer on every word of the
dev set, printing the words on which they differ (stop words aside).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["analyse", "normalise", "stem"]

_ALEFS = {"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627"}
_MARKS = dict.fromkeys(range(0x064B, 0x0653)) | {0x0640: None}  # harakat and tatweel
_TABLE = str.maketrans({**_ALEFS, "\u0649": "\u064a", "\u0629": "\u0647"}) | _MARKS

PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ه", "ي")  # ية and ة after normalise

# A word as the standard tokenizer sees it in Arabic text: letters, digits and the marks inside.
_WORD = re.compile(r"(?:[^\W_]|[\u064B-\u065F\u0670\u0640])+")


def normalise(word: str) -> str:
    return word.translate(_TABLE)


def stem(word: str) -> str:
    for prefix in PREFIXES:
        if len(prefix) == 1 and len(word) < 4:
            continue
        if len(word) >= len(prefix) + 2 and word.startswith(prefix):
            word = word[len(prefix) :]
            break
    for suffix in SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def _digits(word: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in word)


def analyse(text: str) -> list[str]:
    return [stem(normalise(_digits(word.lower()))) for word in _WORD.findall(text)]


def _check() -> int:  # pragma: no cover - a tool, run by hand
    import csv
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    jars = sorted(Path("/usr/share/java").glob("lucene-*-8*.jar"))
    core = [j for j in jars if j.name.startswith(("lucene-core-", "lucene-analyzers-common-"))]
    if not (shutil.which("javac") and shutil.which("java") and len(core) == 2):
        print("needs java, javac and liblucene8-java (apt-get install liblucene8-java)")
        return 2
    classpath = ":".join(str(j) for j in core)
    harness = """
import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.ar.*;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import java.io.*;
public class Light10 { public static void main(String[] a) throws Exception {
  Analyzer an = new ArabicAnalyzer(CharArraySet.EMPTY_SET);
  BufferedReader r = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
  PrintStream out = new PrintStream(System.out, true, "UTF-8"); String line;
  while ((line = r.readLine()) != null) { StringBuilder sb = new StringBuilder();
    try (TokenStream ts = an.tokenStream("f", line)) {
      CharTermAttribute t = ts.addAttribute(CharTermAttribute.class); ts.reset();
      while (ts.incrementToken()) { if (sb.length() > 0) sb.append(' '); sb.append(t); }
      ts.end(); }
    out.println(sb); } } }
"""
    rows = Path(__file__).resolve().parent.parent / "tests" / "search" / "devset.tsv"
    with rows.open(encoding="utf-8", newline="") as handle:
        texts = [
            text
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            for text in (row["query"], row["document"])
        ]
    words = sorted({word for text in texts for word in _WORD.findall(text)})
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "Light10.java").write_text(harness, encoding="utf-8")
        subprocess.run(["javac", "-cp", classpath, "Light10.java"], cwd=tmp, check=True)
        result = subprocess.run(
            ["java", "-cp", f"{classpath}:{tmp}", "Light10"],
            input="\n".join(words) + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
    lucene = result.stdout.split("\n")
    differ = [
        (word, theirs, " ".join(analyse(word)))
        for word, theirs in zip(words, lucene, strict=False)
        if theirs != " ".join(analyse(word))
    ]
    for word, theirs, ours in differ:
        print(f"{word}\tlucene={theirs}\tport={ours}")
    print(f"{len(words) - len(differ)}/{len(words)} words analysed alike")
    return 1 if differ else 0


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.exit(_check() if "--check" in sys.argv else 0)
