"""What every public route refuses before any view runs, written once for all of them, those to
come included:

- any method but GET and HEAD is a 405: the public site is read-only (the API, a DRF router,
  answers OPTIONS too and says 405 itself);
- a query string longer than any page, download, feed or API call needs is a 400 (the site's 400
  page; a JSON body under the API), so no filter, search or form ever parses one.

Under the API, every error is JSON, even one Django answers itself (404, 405).

The admin is left to Django's own rules: curators write there, and a "cite this passage" link
carries the passage in its query string."""

from django.core.exceptions import BadRequest
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

MAX_QUERY_STRING = 2000
SAFE_METHODS = ("GET", "HEAD")


class PublicRoutes:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(reverse("admin:index")):
            return self.get_response(request)
        api = path.startswith(reverse("api:api-root"))
        if not api and request.method not in SAFE_METHODS:
            return HttpResponseNotAllowed(SAFE_METHODS)
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            message = f"The query string is longer than {MAX_QUERY_STRING} characters."
            if api:
                return JsonResponse({"detail": message}, status=400)
            raise BadRequest(message)
        response = self.get_response(request)
        if api and response.status_code in API_ERRORS and not is_json(response):
            return as_json(response)
        return response


# Under the API every error is JSON, those Django answers itself included (a URL no route
# matches, a method the docs page does not take).
API_ERRORS = {404: "Not found.", 405: "Method not allowed."}


def is_json(response):
    return response.get("Content-Type", "").startswith("application/json")


def as_json(response):
    error = JsonResponse({"detail": API_ERRORS[response.status_code]}, status=response.status_code)
    if response.has_header("Allow"):
        error["Allow"] = response["Allow"]
    return error
