from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ParleyAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by Parley's site (the review queue beside the models)."""

    default = False
    default_site = "positions.curation.admin_site.ParleyAdminSite"


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = "Negotiation positions"

    def ready(self):
        from positions import search_index
        from positions.curation import publishing, review, signals

        signals.connect()
        review.connect()
        search_index.connect()
        publishing.connect()
