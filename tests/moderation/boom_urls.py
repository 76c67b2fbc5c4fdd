"""The site's URLs plus one view that fails, to see what a reader gets from a server error."""

from django.conf import settings
from django.urls import path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

SECRET_MARKER = "boom-marker-7f3a"


def boom(request):
    raise RuntimeError(f"{SECRET_MARKER} {settings.SECRET_KEY} {settings.DATABASES}")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
