"""The reference: the article page as a straightforward Django view and template would render
it, with the same data and the same default middleware, no caching. Kept as the yardstick."""
