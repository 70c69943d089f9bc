from django.apps import AppConfig


class TradeConfig(AppConfig):
    name = "section307.trade"
    label = "trade"
    verbose_name = "Importer portal"

    def ready(self) -> None:
        from section307.accounts import roles
        from section307.core.context_processors import NAV_ITEMS, NavItem

        perms = roles.ROLE_PERMISSIONS[roles.TRADE_USER]
        perms.extend(p for p in ["trade.use_portal"] if p not in perms)
        if not any(i.url_name == "trade:home" for i in NAV_ITEMS):
            NAV_ITEMS.insert(-1, NavItem("Importer portal", "trade:home", permission="trade.use_portal"))
