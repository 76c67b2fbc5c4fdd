"""Production WSGI entry point: `minbar.serving.wsgi:application` (see config/gunicorn.py).

Django's application wrapped in the page cache, so that a shared page that is still good is
answered without building a request, running middleware or touching the database.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

from minbar.serving.pagecache import PageCacheApp

application = PageCacheApp(get_wsgi_application())
