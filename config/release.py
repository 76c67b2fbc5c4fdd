"""Which code is running, as a short name for cache key prefixes.

Cached HTML is only good for the templates, template tags and catalogues that rendered it. The
release id is the package version plus a hash of those files, so that a deploy (or a template
edited in place) never reads entries written by other code. Production may set MINBAR_RELEASE
instead (e.g. `git describe --always --dirty`), which settings prefer.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

# What shapes rendered HTML: templates, Python (template tags, filters, selectors), catalogues.
PATTERNS = (
    "templates/**/*.html",
    "minbar/**/*.html",
    "minbar/**/*.py",
    "minbar/**/*.mo",
    "locale/**/*.mo",
)


def release_id(base_dir: Path) -> str:
    digest = hashlib.blake2b(digest_size=6)
    files = sorted({path for pattern in PATTERNS for path in base_dir.glob(pattern)})
    for path in files:
        digest.update(str(path.relative_to(base_dir)).encode())
        digest.update(path.read_bytes())
    try:
        version = metadata.version("minbar")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"{version}-{digest.hexdigest()}"
