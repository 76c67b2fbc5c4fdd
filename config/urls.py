from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from minbar.accounts import views as accounts_views
from minbar.core import views as core_views
from minbar.core.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

admin.site.site_header = _("Minbar newsroom")
admin.site.site_title = _("Minbar")
admin.site.index_title = _("Site administration")

handler404 = "minbar.core.views.page_not_found"
handler500 = "minbar.core.views.server_error"
# allauth's sign-in and sign-up limits answer with this page (Arabic, with Retry-After).
handler429 = "minbar.moderation.views.too_many_requests"

from minbar.news.urls import seo_urlpatterns  # noqa: E402 (after the converter)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("manifest.webmanifest", core_views.web_manifest, name="web-manifest"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("media/<path:path>", core_views.media, name="media"),
    # Before the admin's own: the newsroom signs in through the readers' throttled page.
    path("admin/login/", accounts_views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    *seo_urlpatterns,
]

urlpatterns += i18n_patterns(
    # Before allauth's: it wraps some of allauth's own pages (see minbar/accounts/urls.py).
    path("", include("minbar.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("minbar.discussion.urls")),
    path("", include("minbar.serving.urls")),
    path("", include("minbar.notify.urls")),
    path("", include("minbar.moderation.urls")),
    path("", include("minbar.search.urls")),
    path("", include("minbar.news.urls")),
    prefix_default_language=False,
)
