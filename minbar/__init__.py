"""Minbar: Arabic-first news publishing with readers' discussion under every article."""
