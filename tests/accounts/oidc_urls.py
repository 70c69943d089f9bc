"""The project's URLs with OpenID Connect sign-in switched on (as SECTION307_OIDC_CLIENT_ID does)."""

from django.urls import include, path

from section307.config.urls import handler403, handler404  # noqa: F401
from section307.config.urls import urlpatterns as project_urls

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *project_urls]
