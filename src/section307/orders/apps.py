from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OrdersConfig(AppConfig):
    name = "section307.orders"
    label = "orders"
    verbose_name = "Enforcement orders"

    def ready(self) -> None:
        from section307.core.context_processors import NAV_ITEMS, NavItem

        # The published list of WROs and Findings is open to everyone.
        if not any(item.url_name == "orders_public:list" for item in NAV_ITEMS):
            NAV_ITEMS.insert(1, NavItem(gettext_lazy("Orders"), "orders_public:list"))

        from section307.core import publiccache
        from section307.orders.selectors import public_version

        publiccache.register("/orders/", public_version)
        publiccache.register("/api/v1/orders", public_version)
