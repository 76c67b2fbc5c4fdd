"""Production: gunicorn behind a TLS-terminating proxy (see deploy/ and README "Deploying")."""

import os

from django.core.exceptions import ImproperlyConfigured

from minbar.core.secret_key import is_example_secret_key

from .base import *  # noqa: F403
from .base import DEBUG, EMAIL_URL, SECRET_KEY, env_bool

# The development default only where a test or benchmark asks for it; never an example key.
_dev_key_allowed = SECRET_KEY.startswith("dev-only") and env_bool("MINBAR_ALLOW_DEV_SECRET", False)
if is_example_secret_key(SECRET_KEY) and not _dev_key_allowed:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY for production to a long random value, not an example such as "
        "change-me: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Password resets and verification links go by mail: say where, or say console:// on purpose.
if not EMAIL_URL:
    raise ImproperlyConfigured(
        "Set EMAIL_URL for production, e.g. smtp+tls://user:password@mail.example:587 or "
        "smtps://user:password@mail.example:465; EMAIL_URL=console:// prints every message "
        "(reset links included) to the log instead."
    )

# The proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
assert not DEBUG or env_bool("MINBAR_ALLOW_DEBUG_IN_PROD", False), "DEBUG must be off in prod"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365
