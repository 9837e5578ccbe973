from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from positions.api import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # ?format=json is enough
router.register("sources", views.SourceViewSet, basename="source")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("issues", views.IssueViewSet, basename="issue")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("stances", views.StanceViewSet, basename="stance")
router.register("stance-rows", views.StanceRowViewSet, basename="stance-row")
router.register("demands", views.DemandViewSet, basename="demand")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("citations", views.CitationViewSet, basename="citation")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", views.GuideView.as_view(), name="docs"),
    path("docs/swagger/", views.DocsView.as_view(), name="swagger"),
    *router.urls,
]
