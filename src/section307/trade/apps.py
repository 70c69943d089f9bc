from django.apps import AppConfig
from django.utils.translation import gettext_lazy


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

        from section307.ports.signals import detention_decided, determination_effective
        from section307.trade.receivers import on_detention_decided, on_determination_effective

        # The port's decisions and headquarters' determinations reach the importer's requests.
        detention_decided.connect(on_detention_decided, dispatch_uid="trade.detention_decided")
        determination_effective.connect(on_determination_effective, dispatch_uid="trade.determination_effective")
        from section307.ports.views import DETENTION_PAGE_SECTIONS
        from section307.trade.views import detention_page_section

        if detention_page_section not in DETENTION_PAGE_SECTIONS:
            DETENTION_PAGE_SECTIONS.append(detention_page_section)
        from section307.ports.api_detentions import PACKAGE_PROVIDERS, PACKAGE_STATUSES
        from section307.trade.models import TradeRequest
        from section307.trade.selectors import packages_for_api

        if packages_for_api not in PACKAGE_PROVIDERS:
            PACKAGE_PROVIDERS.append(packages_for_api)
        PACKAGE_STATUSES.update(TradeRequest.Status.values)
        from section307.core.queue import register
        from section307.trade.selectors import hq_package_items

        register(hq_package_items)

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
        if not any(i.url_name == "hq:home" for i in NAV_ITEMS):
            NAV_ITEMS.insert(
                -1, NavItem(gettext_lazy("Headquarters review"), "hq:home", permission="ports.review_detention")
            )
        if not any(i.url_name == "trade:home" for i in NAV_ITEMS):
            NAV_ITEMS.insert(-1, NavItem(gettext_lazy("Importer portal"), "trade:home", permission="trade.use_portal"))
