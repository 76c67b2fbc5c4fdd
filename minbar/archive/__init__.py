"""Import and export of the Minbar archive format (docs: shared spec "archive-format.md").

archive owns the JSON document that moves a site's articles and discussions in and out: parsing
and checking it (`validate`, no database), writing it into the site (`actions`, through the
newsroom's and the discussion's own rules and counters) and reading the site back out into it
(`selectors`). It never decides how an article is published or a comment is counted: news and
discussion do; it keeps their invariants while writing in bulk.
"""
