"""Shared pieces with no domain models of their own.

core owns what every app needs the same way: the timestamp base model, safe rendering of user
Markdown and bidirectional-text hygiene (text.py), Arabic-aware formatting of dates and numbers
(formatting.py), URL converters, the template tags and the error pages. It never imports another
Minbar app, so any app may import it.
"""
