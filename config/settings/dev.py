"""Development: `make run`. Debug on by default, mail to the console."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: F403
from .base import env_bool

# runserver is one process, so the "pages" cache in its memory is the one store every request
# sees: the live discussion works without Redis (decision 0019).
MINBAR_LIVE_DISCUSSION = env_bool("MINBAR_LIVE_DISCUSSION", True)
