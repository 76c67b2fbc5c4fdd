"""Development: `make run`. Debug on by default, mail to the console."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: F403
