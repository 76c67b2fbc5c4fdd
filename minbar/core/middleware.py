from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PathLocaleMiddleware(LocaleMiddleware):
    """The language comes from the address alone: `/en/…` is English, everything else Arabic.

    Browsers' Accept-Language and cookies are ignored on purpose, so that one address always
    serves the same page, which is what lets shared caches keep it.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # No `Vary: Accept-Language` (Django's adds it to addresses without a prefix): the
        # address alone names the language, and a shared cache must not split on the header.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
