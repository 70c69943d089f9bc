from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class IprConfig(AppConfig):
    name = "section307.ipr"
    label = "ipr"
    verbose_name = "IPR detentions"

    def ready(self) -> None:
        from section307.core.auditwords import register_sentences

        register_sentences(
            {
                "ipr.detain": gettext_lazy("Goods detained as suspected counterfeits."),
                "ipr.disclose": gettext_lazy("Information disclosed to the rights holder."),
                "ipr.disclosure": gettext_lazy("Detention information shown outside CBP (disclosure log)."),
                # ipr.demand and ipr.owner_notify: rows recorded under the piratical-copy procedure replaced
                # by CBP Dec. 24-03 on 23 August 2024; no longer written.
                "ipr.demand": gettext_lazy("The copyright owner demanded exclusion and filed a bond."),
                "ipr.exclude": gettext_lazy("Goods excluded: no decision within 30 days of presentation."),
                "ipr.extend": gettext_lazy("Detention of restricted articles extended for good cause ({days} days)."),
                "ipr.forfeiture": gettext_lazy("Forfeiture step recorded after an IPR seizure ({step})."),
                "ipr.owner_info": gettext_lazy("Importation information given to the mark owner."),
                "ipr.owner_notify": gettext_lazy("The copyright owner was told of the importer's denial."),
                "ipr.holder_account_create": gettext_lazy("Rights-holder account created."),
                "ipr.holder_add": gettext_lazy("Account linked to a recordation."),
                "ipr.holder_response": gettext_lazy("The rights holder answered."),
                "ipr.image_add": gettext_lazy("Detention photo added."),
                "ipr.importer_reply": gettext_lazy("The importer replied."),
                "ipr.notice_send": gettext_lazy("Notice of detention sent to the importer."),
                "ipr.recordation_create": gettext_lazy("Trademark or copyright recordation entered."),
                "ipr.sample_provide": gettext_lazy("Sample provided to the rights holder under bond."),
                "ipr.seizure_info": gettext_lazy("Seizure information sent to the rights holder."),
            }
        )
        from section307.accounts import roles
        from section307.core.context_processors import NAV_ITEMS, NavItem
        from section307.core.queue import register
        from section307.core.scheduler import register_daily
        from section307.demo.world import STEPS
        from section307.ipr.queue import queue_items

        officer = [
            "ipr.view_iprdetention",
            "ipr.add_iprdetention",
            "ipr.manage_iprdetention",
            "ipr.view_recordation",
        ]
        _extend(roles.ROLE_PERMISSIONS[roles.PORT_OFFICER], officer)
        _extend(roles.ROLE_PERMISSIONS[roles.ADMINISTRATOR], [*officer, "ipr.manage_recordation"])
        _extend(
            roles.ROLE_PERMISSIONS[roles.SUPERVISOR],
            ["ipr.view_iprdetention", "ipr.view_recordation", "ipr.manage_recordation"],
        )
        if not any(i.url_name == "ipr:detention_list" for i in NAV_ITEMS):
            NAV_ITEMS.insert(-1, NavItem(gettext_lazy("IPR"), "ipr:detention_list", signed_in=True))
        if "section307.ipr.demo.demo_step" not in STEPS:
            STEPS.append("section307.ipr.demo.demo_step")
        register(queue_items)
        register_daily("ipr.detentions_tick", "section307.ipr.tasks.detentions_tick")


def _extend(target: list[str], names: list[str]) -> None:
    target.extend(n for n in names if n not in target)
