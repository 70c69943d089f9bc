from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CasesConfig(AppConfig):
    name = "section307.cases"
    label = "cases"
    verbose_name = "Cases and investigations"

    def ready(self) -> None:
        from section307.accounts import roles
        from section307.core.context_processors import NAV_ITEMS, NavItem
        from section307.demo.world import STEPS

        work = ["cases.view_case", "cases.add_case", "cases.work_case"]
        roles.ROLE_PERMISSIONS[roles.ANALYST].extend(work)
        roles.ROLE_PERMISSIONS[roles.SUPERVISOR].extend([*work, "cases.approve_proposal", "cases.reopen_case"])
        # Partners hold the model permission for navigation only; which cases they see is per share.
        roles.ROLE_PERMISSIONS[roles.PARTNER_AGENCY].append("cases.view_case")
        roles.ROLE_PERMISSIONS[roles.ADMINISTRATOR].extend(
            ["cases.view_casetemplate", "cases.add_casetemplate", "cases.change_casetemplate"]
        )
        # Headquarters decides every order petition; it changes the order through its lifecycle.
        hq = roles.ROLE_PERMISSIONS[roles.HQ_REVIEWER]
        hq.extend(p for p in ["cases.decide_petition", "orders.publish_order"] if p not in hq)
        if not any(item.url_name == "petitions:list" for item in NAV_ITEMS):
            NAV_ITEMS.insert(
                -1, NavItem(gettext_lazy("Petitions"), "petitions:list", permission="cases.decide_petition")
            )
        from section307.cases.queue import register_providers
        from section307.core.scheduler import register_daily

        register_providers()
        register_daily("cases.remind_overdue_tasks", "section307.cases.tasks.remind_overdue_tasks")
        if not any(item.url_name == "cases:dashboard" for item in NAV_ITEMS):
            NAV_ITEMS.insert(1, NavItem(gettext_lazy("Cases"), "cases:dashboard", permission="cases.view_case"))
        if "section307.cases.demo.demo_cases" not in STEPS:
            STEPS.append("section307.cases.demo.demo_cases")
        if "section307.cases.demo.demo_petitions" not in STEPS:
            STEPS.append("section307.cases.demo.demo_petitions")
