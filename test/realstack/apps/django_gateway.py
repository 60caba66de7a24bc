"""Django + django-cors-headers gateway in one file (settings, views, urls), per VARIANT, run by gunicorn."""
import json
import os
import re
import time

from django.conf import settings
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

ORIGIN = os.environ["ORIGIN"]
VARIANT = os.environ.get("VARIANT", "good")
STARTED = time.time()

CORS = {
    "good": {"CORS_ALLOWED_ORIGINS": [ORIGIN]},
    # django-cors-headers tests each regex with re.match: without "$" any longer origin passes.
    "regex-unanchored": {"CORS_ALLOWED_ORIGIN_REGEXES": [r"^http://app\.example\.test"]},
    # Allow-all with credentials: the middleware echoes whatever Origin the request carries.
    "allow-all-credentials": {"CORS_ALLOW_ALL_ORIGINS": True},
}[VARIANT]

settings.configure(
    DEBUG=False,
    SECRET_KEY="realstack-test-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["corsheaders"],
    MIDDLEWARE=["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"],
    CORS_ALLOW_CREDENTIALS=True,
    **CORS,
)


def health(_request):
    return JsonResponse({"status": "healthy", "version": "1.0.0", "uptime": round(time.time() - STARTED)})


@csrf_exempt
def chat(request):
    if request.method != "POST":
        return JsonResponse({"error": "method not allowed"}, status=405)
    if not re.match(r"^Bearer \S+", request.headers.get("Authorization", "")):
        return JsonResponse({"error": "missing bearer token"}, status=401)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    return JsonResponse({"answer": "echo: " + str(body.get("query", ""))})


urlpatterns = [path("health", health), path("api/chat", chat)]

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after settings.configure)

application = get_wsgi_application()
