"""gunicorn settings for `make serve`, deploy/minbar.service and bench/run.py.

Every value can be changed from the environment, which is the only input in production:
PORT, HOST (or GUNICORN_BIND), WORKERS, MINBAR_TRUSTED_PROXIES, GUNICORN_ACCESS_LOG.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
raw_env = [
    "DJANGO_SETTINGS_MODULE=" + os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.prod")
]

bind = [
    os.environ.get("GUNICORN_BIND")
    or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
]
# Two per core: the work is CPU-bound Python, with short waits on the database and Redis.
workers = int(os.environ.get("WORKERS") or 2 * multiprocessing.cpu_count())
worker_class = "sync"
# Load Django once, then fork: workers share its code pages and start at once.
preload_app = True
# Recycled now and then, so that no slow growth of memory can add up.
max_requests = 20000
max_requests_jitter = 2000
timeout = 30
graceful_timeout = 20
keepalive = 5
# systemd reloads with HUP; a control socket at one fixed path per user would only make several
# gunicorns on one machine (bench, tests) fight over it.
control_socket_disable = True

# Behind the TLS-terminating proxy: only these addresses may say the request came over https
# (X-Forwarded-Proto). They are the app's own MINBAR_TRUSTED_PROXIES (config/settings/base.py,
# same variable, same default: nginx on this machine), whose X-Forwarded-For names the reader
# for every per-client limit (minbar.moderation.middleware.ClientIPMiddleware).
forwarded_allow_ips = os.environ.get("MINBAR_TRUSTED_PROXIES") or "127.0.0.1,::1"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# "-" is stdout (journald under systemd); empty turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
