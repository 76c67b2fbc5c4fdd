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
