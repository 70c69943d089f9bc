from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MetricsConfig(AppConfig):
    name = "section307.metrics"
    label = "metrics"
    verbose_name = "Outcome metrics and statistics"

    def ready(self) -> None:
        from section307.core.auditwords import register_sentences

        register_sentences(
            {
                "metrics.outcome_evidence_read": gettext_lazy("Outcome evidence file opened."),
                "metrics.outcome_recorded": gettext_lazy("Outcome recorded."),
                "metrics.report_built": gettext_lazy("Quarterly report built."),
                "metrics.report_failed": gettext_lazy("Quarterly report could not be built."),
                "metrics.report_requested": gettext_lazy("Quarterly report for FY{fiscal_year} Q{quarter} requested."),
                "metrics.target_set": gettext_lazy("Indicator target set."),
            }
        )
        from django.db.models.signals import post_save, pre_delete

        from section307.accounts import roles
        from section307.core import publiccache
        from section307.core.context_processors import NAV_ITEMS, NavItem
        from section307.core.scheduler import register_daily
        from section307.core.uploads import _TRADE, CONTEXTS, MB, Context
        from section307.demo.world import STEPS
        from section307.metrics import signals
        from section307.metrics.selectors import statistics_version
        from section307.ports.models import Detention

        manager = roles.ROLE_PERMISSIONS.setdefault(roles.MANAGER, [])
        manager.extend(
            p
            for p in ["metrics.view_dashboard", "metrics.set_target", "metrics.view_outcomerecord"]
            if p not in manager
        )
        for role in (roles.ANALYST, roles.SUPERVISOR):
            perms = roles.ROLE_PERMISSIONS[role]
            perms.extend(p for p in ["metrics.record_outcome", "metrics.view_outcomerecord"] if p not in perms)
        # Outcome evidence: the documents a trade user or a case team would send (PDF, office files, photos).
        CONTEXTS.setdefault("outcome_evidence", Context(_TRADE, 25 * MB, pdf_must_open=True))
        post_save.connect(signals.detention_saved, sender=Detention, dispatch_uid="metrics_detention_fact")
        pre_delete.connect(signals.detention_deleted, sender=Detention, dispatch_uid="metrics_detention_fact_gone")
        register_daily("metrics.facts_refresh", "section307.metrics.tasks.facts_refresh")
        publiccache.register("/statistics/", statistics_version)
        publiccache.register("/api/v1/statistics", statistics_version)
        if not any(item.url_name == "statistics:page" for item in NAV_ITEMS):
            NAV_ITEMS.insert(2, NavItem(gettext_lazy("Statistics"), "statistics:page"))
        if not any(item.url_name == "metrics:dashboard" for item in NAV_ITEMS):
            NAV_ITEMS.insert(
                -1, NavItem(gettext_lazy("Metrics"), "metrics:dashboard", permission="metrics.view_dashboard")
            )
        if "section307.metrics.demo.demo_step" not in STEPS:
            STEPS.append("section307.metrics.demo.demo_step")
