"""Serving at news-day load: public pages are the same bytes for every reader (declared with
`middleware.public_page`, kept a second by each worker and by nginx), the discussion under an
article is rendered once per version (`discussions.py`, a counter moved after each committed
change), and what is personal comes in one small uncached request, `/me/state/`
(`selectors.get_reader_state`). Open article pages poll a public feed of what changed since the
version they show (`live.py`, decision 0019). It owns no domain data and never writes articles
or comments. See docs/decisions/0009-one-page-for-every-reader.md."""
