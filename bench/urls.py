"""The bench's URLconf: Minbar's, and in front of it one empty view, the floor of what any
request through Minbar's whole middleware stack costs (run.py's "empty Django view")."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from config.urls import handler404, handler429, handler500
from config.urls import urlpatterns as minbar_urlpatterns

__all__ = ["handler404", "handler429", "handler500", "urlpatterns"]


@never_cache
def empty(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"signedIn": False, "messages": []})


urlpatterns = [path("bench/empty/", empty), *minbar_urlpatterns]
