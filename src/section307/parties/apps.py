from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "section307.parties"
    label = "parties"
    verbose_name = "Parties"
