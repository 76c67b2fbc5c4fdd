"""Error pages: Arabic by default, with no traceback or setting ever shown."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered with no context processors that touch the database: the error may be the database.
    from django.template import loader

    template = loader.get_template("500.html")
    from django.http import HttpResponseServerError

    return HttpResponseServerError(template.render({"request": request}))


def healthz(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    """A stale or forged form: say so in the reader's language and give back what they typed."""
    from django.shortcuts import render

    typed = request.POST.get("text", "") if request.method == "POST" else ""
    back = request.META.get("HTTP_REFERER", "")
    from django.utils.http import url_has_allowed_host_and_scheme

    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return render(request, "403_csrf.html", {"typed": typed[:10000], "back": back}, status=403)
