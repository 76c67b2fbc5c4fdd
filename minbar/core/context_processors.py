from django.conf import settings


def site(request):
    return {
        "site_name": settings.MINBAR_SITE_NAME,
        "show_hijri": settings.MINBAR_HIJRI_DATES,
    }
