"""The newsroom: sections, tags, authors, articles and their revisions.

news owns what is published and when: the editorial workflow (draft, scheduled, published), the
revisions every save records, the public article pages, feeds, sitemaps and SEO metadata. It
keeps `Article.comment_count` as a column but never changes it: the discussion app does, inside
the transaction that changes the comments.
"""
