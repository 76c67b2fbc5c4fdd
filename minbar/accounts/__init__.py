"""Readers, newsroom staff and their sign-in.

accounts owns the User model (custom from the first migration), the username rules (one script,
look-alike names refused through a folded key), profiles and the glue to django-allauth. It
never decides what a user may do to an article or a comment: those rules live with the apps
that own the objects.
"""
