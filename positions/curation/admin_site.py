"""The curators' admin site: Django's admin with the review queue beside the models."""

from django.contrib import admin
from django.urls import path

from positions.curation import cite_existing, review, review_queue, suggestions


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
        return super().index(request, {"awaiting_review": awaiting, **(extra_context or {})})
