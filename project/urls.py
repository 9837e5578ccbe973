from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links to: send them to the SVG icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("positions/favicon.svg")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("api/v1/", include("positions.api.urls")),
    path("", include("positions.urls")),
]
