from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class SupplyChainConfig(AppConfig):
    name = "section307.supplychain"
    label = "supplychain"
    verbose_name = "Supply-chain visibility"

    def ready(self) -> None:
        from section307.core.auditwords import register_sentences

        register_sentences(
            {
                "supplychain.alert": gettext_lazy("Supply-chain risk alert raised."),
                "supplychain.events_import": gettext_lazy("Traceability events imported."),
                "supplychain.evidence_add": gettext_lazy("Traceability evidence added."),
                "supplychain.job_create": gettext_lazy("Supplier list queued for import."),
                "supplychain.map_attach_case": gettext_lazy("Supplier map filed in a case."),
                "supplychain.map_import": gettext_lazy("Supplier map imported."),
                "supplychain.match_confirm": gettext_lazy("Registry match of a supplier decided."),
                "supplychain.rescreen": gettext_lazy("Supplier map screened again."),
                "supplychain.assessment_answer": gettext_lazy("Due-diligence answer recorded."),
                "supplychain.assessment_draft": gettext_lazy("Due-diligence assessment draft opened."),
                "supplychain.assessment_submit": gettext_lazy("Due-diligence assessment submitted."),
                "supplychain.milestone_add": gettext_lazy("Remediation milestone added."),
                "supplychain.milestone_complete": gettext_lazy("Remediation milestone completed."),
                "supplychain.plan_create": gettext_lazy("Remediation plan created."),
            }
        )
        from django.db.models.signals import post_save

        from section307.accounts import roles
        from section307.core.context_processors import NAV_ITEMS, NavItem
        from section307.core.queue import register
        from section307.demo.world import STEPS
        from section307.orders.models import OrderEvent
        from section307.ports.views import DETENTION_PAGE_SECTIONS
        from section307.refdata.models import RefdataLoad
        from section307.supplychain.diligence_views import detention_page_section
        from section307.supplychain.queue import diligence_items, supplychain_items
        from section307.supplychain.signals import order_event_saved, refdata_load_saved

        read = ["supplychain.view_supplychainmap", "supplychain.view_all_maps"]
        for role in (roles.ANALYST, roles.SUPERVISOR, roles.PORT_OFFICER, roles.HQ_REVIEWER):
            roles.ROLE_PERMISSIONS[role].extend(p for p in read if p not in roles.ROLE_PERMISSIONS[role])
        trade = roles.ROLE_PERMISSIONS[roles.TRADE_USER]
        trade.extend(p for p in ["supplychain.view_supplychainmap", "supplychain.add_supplychainmap"] if p not in trade)
        register(supplychain_items)
        register(diligence_items)
        if detention_page_section not in DETENTION_PAGE_SECTIONS:
            DETENTION_PAGE_SECTIONS.append(detention_page_section)
        post_save.connect(order_event_saved, sender=OrderEvent, dispatch_uid="section307.supplychain.order_event")
        post_save.connect(refdata_load_saved, sender=RefdataLoad, dispatch_uid="section307.supplychain.refdata")
        if not any(i.url_name == "supplychain:list" for i in NAV_ITEMS):
            NAV_ITEMS.insert(
                -1,
                NavItem(
                    gettext_lazy("Supply chains"), "supplychain:list", permission="supplychain.view_supplychainmap"
                ),
            )
        if "section307.supplychain.demo.demo_step" not in STEPS:
            STEPS.append("section307.supplychain.demo.demo_step")
        if "section307.supplychain.demo.diligence_step" not in STEPS:
            STEPS.append("section307.supplychain.demo.diligence_step")
