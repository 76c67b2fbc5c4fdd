"""The bench's URLconf: Minbar's, and in front of it two empty views, the floors of what any
request through Minbar's whole middleware stack costs (run.py's "empty Django view"), and any
request that asks who is signed in ("empty view, signed in": the session and the user)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from config.urls import handler404, handler429, handler500
from config.urls import urlpatterns as minbar_urlpatterns

__all__ = ["handler404", "handler429", "handler500", "urlpatterns"]


@never_cache
def empty(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"signedIn": False, "messages": []})


@never_cache
def empty_signed_in(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"signedIn": request.user.is_authenticated, "messages": []})


urlpatterns = [
    path("bench/empty/", empty),
    path("bench/empty-signed-in/", empty_signed_in),
    *minbar_urlpatterns,
]
