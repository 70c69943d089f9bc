from django.apps import AppConfig


class AllegationsConfig(AppConfig):
    name = "section307.allegations"
    label = "allegations"
    verbose_name = "Allegations"

    def ready(self) -> None:
        from section307.allegations import setup

        setup.register()
        from section307.allegations.queue import register_providers

        register_providers()
