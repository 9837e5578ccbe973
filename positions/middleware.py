"""What is refused before any view runs, on every public route: a query string longer than any
page, download, feed or API call needs is a 400 (the site's 400 page; a JSON body under the API),
so no filter, search or form ever parses one. The admin is left to Django's own limits: a "cite
this passage" link carries the passage in its query string."""

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.urls import reverse

MAX_QUERY_STRING = 2000


class QueryStringLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        too_long = len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING
        if too_long and not request.path_info.startswith(reverse("admin:index")):
            message = f"The query string is longer than {MAX_QUERY_STRING} characters."
            if request.path_info.startswith(reverse("api:api-root")):
                return JsonResponse({"detail": message}, status=400)
            raise BadRequest(message)
        return self.get_response(request)
