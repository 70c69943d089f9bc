from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy


class PortsConfig(AppConfig):
    name = "section307.ports"
    label = "ports"
    verbose_name = "Port enforcement"

    def ready(self) -> None:
        from section307.accounts import roles
        from section307.core.context_processors import NAV_ITEMS, NavItem
        from section307.demo.world import STEPS
        from section307.orders.models import OrderEvent
        from section307.ports.signals import order_event_saved

        officer = [
            "ports.view_entry",
            "ports.add_entry",
            "ports.file_entry",
            "ports.target_entry",
            "ports.rescreen_entries",
            "ports.view_detention",
            "ports.decide_detention",
            "trade.view_traderequest",
        ]
        read = ["ports.view_entry", "ports.view_detention", "trade.view_traderequest"]
        _extend(roles.ROLE_PERMISSIONS[roles.PORT_OFFICER], officer)
        _extend(roles.ROLE_PERMISSIONS[roles.SUPERVISOR], [*read, "ports.rescreen_entries"])
        _extend(roles.ROLE_PERMISSIONS[roles.ANALYST], read)
        _extend(roles.ROLE_PERMISSIONS[roles.ADMINISTRATOR], [*officer, "ports.view_apitoken"])
        # Headquarters decides admissibility, exceptions and protests; the port carries the decisions out.
        _extend(roles.ROLE_PERMISSIONS[roles.HQ_REVIEWER], [*read, "ports.review_detention"])
        # Filers (broker systems) send entries through the API with a token.
        roles.ROLE_LABELS.setdefault(FILER, gettext_lazy("Entry filer (broker system)"))
        _extend(roles.ROLE_PERMISSIONS.setdefault(FILER, []), ["ports.file_entry"])
        if not any(i.url_name == "ports:queue" for i in NAV_ITEMS):
            NAV_ITEMS.insert(-1, NavItem(gettext_lazy("Port"), "ports:queue", permission="ports.view_entry"))
        if "section307.ports.demo.demo_step" not in STEPS:
            STEPS.append("section307.ports.demo.demo_step")
        from section307.core.scheduler import register_daily
        from section307.ports.queue import register_providers

        register_providers()
        register_daily("ports.clocks_tick", "section307.ports.tasks.clocks_tick")
        post_save.connect(order_event_saved, sender=OrderEvent, dispatch_uid="section307.ports.rescreen")
        from section307.orders.views import ORDER_PAGE_SECTIONS
        from section307.ports.selectors import order_page_section

        if order_page_section not in ORDER_PAGE_SECTIONS:
            ORDER_PAGE_SECTIONS.append(order_page_section)
        from section307.core.queue import register
        from section307.ports.queue import queue_items

        register(queue_items)


FILER = "entry_filer"


def _extend(target: list[str], names: list[str]) -> None:
    target.extend(n for n in names if n not in target)
