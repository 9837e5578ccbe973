"""How the API's lists are paged and ordered, strictly: a `page`, `page_size` or `ordering` the
list cannot honour is a 400 that names it, never silently replaced by a default."""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """`?page=2`, `?page_size=` up to 500; every list says its `count`, `next` and
    `previous`. A `page` or `page_size` that is not a whole number in range is a 400 naming it;
    a page past the last, a 404."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            message = f"A whole number from 1 to {self.max_page_size}, not “{raw}”."
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        """The document says what is accepted: whole numbers from 1 (page_size at most 500)."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isdigit() and int(raw) >= 1):
            raise ValidationError({self.page_query_param: [f"A whole number from 1, not “{raw}”."]})
        return super().paginate_queryset(queryset, request, view)


class Ordering(OrderingFilter):
    """`?ordering=` by the fields a list names (a `-` first for descending); any other value is a
    400 naming it, never silently ignored."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        terms = [term.strip() for term in raw.split(",")]
        allowed = set(getattr(view, "ordering_fields", None) or [])
        wrong = [t for t in terms if t.removeprefix("-") not in allowed]
        if wrong or not terms:
            choices = ", ".join(sorted(allowed))
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Order by {choices} (a - first for descending), not “{raw}”."
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        allowed = sorted(getattr(view, "ordering_fields", None) or [])
        for parameter in parameters:
            parameter["schema"]["enum"] = [*allowed, *(f"-{name}" for name in allowed)]
            parameter["description"] = "Order by this field; a - first for descending."
        return parameters
