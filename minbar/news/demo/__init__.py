"""Demo content: original Arabic articles and discussions, in the Minbar archive format."""

from pathlib import Path

DEMO_FILE = Path(__file__).with_name("demo.json")

# Demo sign-ins printed by `make run`; for a local demo only.
DEMO_ACCOUNTS = [
    # (username, password, role, display name)
    ("editor", "minbar-editor-2026", "editors", "هالة المحررة"),
    ("author", "minbar-author-2026", "authors", "سلمى الحداد"),
    ("moderator", "minbar-moderator-2026", "moderators", "مراقب النقاش"),
    ("reader", "minbar-reader-2026", "", "قارئ تجريبي"),
]
