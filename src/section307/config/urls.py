from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from section307.accounts.views import RateLimitedLoginView, admin_login
from section307.config.api import api

urlpatterns = [
    path("", include("section307.core.urls")),
    path("accounts/login/", RateLimitedLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("section307.accounts.urls")),
    path("registry/", include("section307.orders.urls")),
    path("port/parcels/", include("section307.parcels.urls")),
    path("port/", include("section307.ports.urls")),
    path("portal/parcels/", include("section307.parcels.portal_urls")),
    path("portal/", include("section307.trade.urls")),
    path("hq/", include("section307.trade.hq_urls")),
    path("ipr/", include("section307.ipr.urls")),
    path("orders/", include("section307.orders.public_urls")),
    path("cases/", include("section307.cases.urls")),
    path("petitions/", include("section307.cases.petition_urls")),
    path("queue/", include("section307.core.queue_urls")),
    path("tokens/", include("section307.ports.token_urls")),
    path("metrics/", include("section307.metrics.urls")),
    path("statistics/", include("section307.metrics.public_urls")),
    path("supply-chains/", include("section307.supplychain.urls")),
    path("", include("section307.allegations.urls")),
    # The admin's password form has the same limits as the site's (before admin.site.urls, which it shadows).
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# No route serves MEDIA_ROOT, in any configuration: every stored file goes out through a view that
# checks the permission of the page it belongs to (see docs/adr/0009-stored-files.md).

if settings.SECTION307_OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))


handler400 = "section307.core.views.handler400"
handler403 = "section307.core.views.handler403"
handler404 = "section307.core.views.handler404"
handler500 = "section307.core.views.handler500"
