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
        from django.apps import apps

        if apps.is_installed("section307.cases"):
            from section307.cases.signals import (
                order_change_request_decided,
                petition_answered,
                petition_info_requested,
            )
            from section307.trade.receivers import (
                on_change_request_decided,
                on_petition_answered,
                on_petition_info_requested,
            )

            order_change_request_decided.connect(on_change_request_decided, dispatch_uid="trade.case_decision")
            petition_info_requested.connect(on_petition_info_requested, dispatch_uid="trade.petition_question")
            petition_answered.connect(on_petition_answered, dispatch_uid="trade.petition_answer")
        from section307.trade.queue import register_providers

        register_providers()
        if not any(i.url_name == "trade:home" for i in NAV_ITEMS):
            NAV_ITEMS.insert(-1, NavItem("Importer portal", "trade:home", permission="trade.use_portal"))
