"""The ceiling: a WSGI app that returns the article page's bytes from memory, nothing else.

BENCH_PAGE names the file holding the bytes (the 200-comment page as Minbar serves it).
"""

import os

with open(os.environ["BENCH_PAGE"], "rb") as page:
    BODY = page.read()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
