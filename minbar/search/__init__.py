"""Search: finding articles and readers' comments by what readers mean, in Arabic first.

search owns the index (one row per live article and per visible comment, holding analysed
"shadow text"), its two engines (SQLite FTS5 and PostgreSQL tsvector, in `backends/`), the
reader's query language (`query.py`), the results page and the staff-extendable protected
lexicon. It follows the other apps only through `minbar.core.signals`; it never changes an
article or a comment, and it never decides how a word is analysed: `search/arabic/` does.
"""
