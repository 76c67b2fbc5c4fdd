"""What an import from another platform remembers, so that running it again adds nothing.

An imported reader is one person of the old platform (a registered username, or a guest's
email, or a guest's name) and the Minbar account made for them; an imported page is one page
of the old site and the article its discussion went to.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minbar.news.models import Article


class ImportedReader(models.Model):
    source = models.CharField(_("platform"), max_length=20)
    identity = models.CharField(_("identity on the platform"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_identities"
    )
    # Kept even when the account could not take it (another account has it): staff can see
    # it when the reader asks for the account.
    email = models.CharField(_("email on the platform"), max_length=320, blank=True)
    name = models.CharField(_("name on the platform"), max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("imported reader")
        verbose_name_plural = _("imported readers")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "identity"], name="one_account_per_imported_identity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.identity}"


class ImportedPage(models.Model):
    source = models.CharField(_("platform"), max_length=20)
    link = models.CharField(_("old address"), max_length=1000)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("imported page")
        verbose_name_plural = _("imported pages")
        constraints = [
            models.UniqueConstraint(fields=["source", "link"], name="one_article_per_old_page")
        ]

    def __str__(self) -> str:
        return self.link
