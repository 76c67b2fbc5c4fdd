"""Error pages: Arabic by default, with no traceback or setting ever shown."""

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered with no context processors that touch the database: the error may be the database.
    from django.template import loader

    template = loader.get_template("500.html")
    from django.http import HttpResponseServerError

    return HttpResponseServerError(template.render({"request": request}))


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale or forged form: say so in the reader's language and give back what they typed."""
    from django.shortcuts import render

    typed = request.POST.get("text", "") if request.method == "POST" else ""
    back = request.META.get("HTTP_REFERER", "")
    from django.utils.http import url_has_allowed_host_and_scheme

    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return render(request, "403_csrf.html", {"typed": typed[:10000], "back": back}, status=403)


# The mark drawn by deploy/assets/make_icons.py; the colours match static/css/minbar.css.
THEME_COLOR = "#0b6e4f"


def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: name, direction and icons (at their static, cache-busted URLs)."""
    from django.conf import settings
    from django.http import JsonResponse
    from django.templatetags.static import static

    icons = [
        {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    manifest = {
        "name": settings.MINBAR_SITE_NAME,
        "short_name": settings.MINBAR_SITE_NAME,
        "lang": "ar",
        "dir": "rtl",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    response = JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Clients that ask /favicon.ico without reading the page's <link rel="icon">."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded files, when the app serves them itself (MINBAR_SERVE_MEDIA: development and the
    browser tests); in production nginx answers /media/ before the app is asked."""
    from django.conf import settings
    from django.http import Http404
    from django.views.static import serve

    if not settings.MINBAR_SERVE_MEDIA:
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
