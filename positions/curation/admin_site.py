"""The curators' admin site: Django's admin with the review queue beside the models."""

from django.contrib import admin
from django.urls import path, reverse

from positions.curation import cite_existing, review, review_queue, suggestions
from positions.models import Status


class ParleyAdminSite(admin.AdminSite):
    site_header = "Parley curation"
    site_title = "Parley curation"
    index_title = "Curate the dataset"

    def get_urls(self):
        return [
            path("review/", self.admin_view(review_queue.queue), name="review"),
            path(
                "review/<slug:kind>/<int:pk>/<slug:decision>/",
                self.admin_view(review_queue.decide),
                name="review-decide",
            ),
            path("suggestions/<slug:slug>/", self.admin_view(suggestions.page), name="suggestions"),
            path("cite/", self.admin_view(cite_existing.page), name="cite-existing"),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        awaiting = sum(review.awaiting_review(model).count() for model in review.CLAIMS)
        context = {"awaiting_review": awaiting, "sent_back": sent_back(), **(extra_context or {})}
        return super().index(request, context)


def sent_back(limit=20):
    """The claims an editor sent back, with why, newest first: the first thing a curator sees,
    since they wait on a curator, not on an editor. One query a kind of claim."""
    found = []
    for model in review.CLAIMS:
        name = model._meta.model_name
        for claim in model._base_manager.filter(status=Status.RETURNED).select_related("actor"):
            url = reverse(f"admin:positions_{name}_change", args=[claim.pk])
            found.append((claim.reviewed_at, claim, url))
    found.sort(key=lambda row: row[0].timestamp() if row[0] else float("-inf"), reverse=True)
    return [(claim, url) for _, claim, url in found][:limit]
