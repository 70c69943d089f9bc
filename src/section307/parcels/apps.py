from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ParcelsConfig(AppConfig):
    name = "section307.parcels"
    label = "parcels"
    verbose_name = "Low-value parcels"

    def ready(self) -> None:
        from section307.core.auditwords import register_sentences

        register_sentences(
            {
                "parcels.detention_exclude": gettext_lazy("Parcel detention decided: exclusion of {parcels} parcels."),
                "parcels.detention_export": gettext_lazy("Parcel detention decided: export of {parcels} parcels."),
                "parcels.detention_release": gettext_lazy("Parcel detention decided: release of {parcels} parcels."),
                "parcels.detention_seize": gettext_lazy("Parcel detention decided: seizure of {parcels} parcels."),
                "parcels.group_detain": gettext_lazy("Parcel group detained."),
                "parcels.forfeiture": gettext_lazy("Forfeiture step recorded after a parcel seizure ({step}, {on})."),
                "parcels.group_release": gettext_lazy("Parcel group released."),
                "parcels.manifest_received": gettext_lazy("Manifest received."),
                "parcels.manifest_refused": gettext_lazy("Manifest refused."),
                "parcels.manifest_screened": gettext_lazy("Manifest screened."),
                "parcels.proof_received": gettext_lazy("Proof of admissibility received for a parcel group."),
                "parcels.proof_submit": gettext_lazy(
                    "Proof of admissibility sent through the importer portal ({documents} documents)."
                ),
                "parcels.protest_file": gettext_lazy("Protest of a parcel exclusion filed."),
                "parcels.protest_deem_denied": gettext_lazy(
                    "Protest of a parcel exclusion denied by operation of law on {deemed_on} ({rule})."
                ),
                "parcels.review_concur": gettext_lazy("Headquarters determination on a parcel detention took effect."),
                "parcels.review_propose": gettext_lazy("Headquarters determination on a parcel detention proposed."),
                "parcels.review_return": gettext_lazy("Headquarters determination on a parcel detention returned."),
                "parcels.rescreen": gettext_lazy("Parcels not yet disposed re-screened after an order change."),
            }
        )
        from section307.accounts import roles
        from section307.core.context_processors import NAV_ITEMS, NavItem
        from section307.core.queue import register
        from section307.demo.world import STEPS
        from section307.parcels import lifecycle  # noqa: F401  (registers the lifecycle tables)
        from section307.parcels.queue import queue_items
        from section307.ports.apps import FILER

        read = ["parcels.view_manifest", "parcels.view_parcel", "parcels.view_parceldetention"]
        officer = [*read, "parcels.upload_manifest", "parcels.decide_parcels"]
        _extend(roles.ROLE_PERMISSIONS[roles.PORT_OFFICER], officer)
        _extend(roles.ROLE_PERMISSIONS[roles.ADMINISTRATOR], officer)
        for role in (roles.SUPERVISOR, roles.ANALYST, roles.HQ_REVIEWER):
            _extend(roles.ROLE_PERMISSIONS[role], read)
        # Carriers' and postal systems send manifests through the API with a filer token.
        _extend(roles.ROLE_PERMISSIONS.setdefault(FILER, []), ["parcels.upload_manifest"])
        if not any(i.url_name == "parcels:home" for i in NAV_ITEMS):
            NAV_ITEMS.insert(-1, NavItem(gettext_lazy("Parcels"), "parcels:home", permission="parcels.view_parcel"))
        if "section307.parcels.demo.demo_step" not in STEPS:
            STEPS.append("section307.parcels.demo.demo_step")
        register(queue_items)
        from section307.core.scheduler import register_daily

        register_daily("parcels.protests_tick", "section307.parcels.tasks.protests_tick")
        from django.db.models.signals import post_save

        from section307.orders.models import OrderEvent
        from section307.parcels.signals import order_event_saved

        post_save.connect(order_event_saved, sender=OrderEvent, dispatch_uid="section307.parcels.rescreen")


def _extend(target: list[str], names: list[str]) -> None:
    target.extend(n for n in names if n not in target)
