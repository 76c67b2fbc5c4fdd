"""The Lucene light10 port the dev-set bench compares with, on outputs taken from Lucene 8's
ArabicAnalyzer (Debian liblucene8-java); `bench/search_light10.py --check` compares every word of
the dev set when Java and the jars are installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import search_light10

# Lucene 8.7 ArabicAnalyzer output (stop words apart), recorded with a Java harness.
LUCENE = [
    ("الوزارات", "وزار"),
    ("والكتاب", "كتاب"),
    ("بالمدرسة", "مدرس"),
    ("لبنانيين", "لبنان"),
    ("مدرستها", "مدرست"),
    ("مياه", "ميا"),
    ("فالحكومة", "حكوم"),
    ("وزير", "زير"),
    ("للمنشور", "منشور"),
]


@pytest.mark.parametrize(("word", "term"), LUCENE)
def test_port_stems_like_lucene(word: str, term: str) -> None:
    assert search_light10.analyse(word) == [term]


def test_port_normalises_only_what_lucene_does() -> None:
    assert search_light10.analyse("أحمد إيمان آمال مستشفى") == ["احمد", "ايم", "امال", "مستشف"]
    assert search_light10.analyse("مسؤول مسئول") == ["مسؤول", "مسئول"]  # hamza seats kept
    assert search_light10.analyse("٢٠٢٤ ABC") == ["2024", "abc"]


@pytest.mark.slow
def test_port_agrees_with_lucene_on_every_devset_word() -> None:
    jars = list(Path("/usr/share/java").glob("lucene-analyzers-common-8*.jar"))
    if not (jars and shutil.which("javac") and shutil.which("java")):
        pytest.skip("needs java and liblucene8-java")
    script = Path(search_light10.__file__)
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-2000:]
