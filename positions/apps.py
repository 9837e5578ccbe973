from django.apps import AppConfig


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = "Negotiation positions"

    def ready(self):
        from positions import signals

        signals.connect()
