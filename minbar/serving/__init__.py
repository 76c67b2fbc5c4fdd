"""Serving at news-day load: the anonymous whole-page cache, the shared comment-list fragment
for signed-in readers, the version stamps that invalidate both precisely, and the WSGI entry
point that answers cached pages before Django starts. It owns no domain data and never writes
articles or comments: it only listens to `article_changed` / `discussion_changed`."""
