"""What the OpenAPI document says of every operation beyond what drf-spectacular infers, in
postprocessing hooks, so no endpoint can be added without it:

- the errors it can answer, each a JSON object with a ``detail`` (and, for a 400, the parameters
  at fault with why);
- for a filter that names a record (a round, an issue, an actor...), the slugs (or ids) it takes:
  any other value is a 400, so the document lists them, from the data as it stands.
"""

from django.db import DatabaseError
from django.forms import ModelChoiceField

ERROR = {
    "type": "object",
    "description": "Why the request was refused. A 400 also names each parameter at fault, with "
    "its messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


ERRORS = {
    "400": error(
        "A parameter is invalid (a filter, page, page_size or ordering) or not one the "
        "operation takes: named in the body."
    ),
    "404": error("No such object, or no such page of the list."),
    "429": error(
        "Too many requests from this client: retry after the Retry-After header's seconds."
    ),
}


def error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, response in ERRORS.items():
                responses.setdefault(status, response)
    return result


def choices(filterset_class):
    """{parameter: the values it takes} for the filters of a FilterSet that name a record; none
    without a database to read them from (a system check on a fresh install)."""
    filterset = filterset_class(data=None, queryset=filterset_class._meta.model.objects.none())
    named = {}
    try:
        for name, field in filterset.form.fields.items():
            if isinstance(field, ModelChoiceField):
                values = [str(value) for value, _ in field.choices if str(value) != ""]
                if values:  # an enum lists at least one value
                    named[name] = values
    except DatabaseError:
        return {}
    return named


def filter_values(result, generator, request, public):
    """Each record-naming filter parameter's enum: the slugs or ids that exist now."""
    views = {}
    for path, _, method, callback in generator.endpoints:
        filterset_class = getattr(getattr(callback, "cls", None), "filterset_class", None)
        listing = getattr(callback, "actions", {}).get("get") == "list"
        if method == "GET" and filterset_class is not None and listing:
            views[path] = choices(filterset_class)
    for path, methods in result.get("paths", {}).items():
        named = views.get(path)
        if not named:
            continue
        for parameter in methods["get"].get("parameters", []):
            values = named.get(parameter["name"])
            if values is None:
                continue
            schema = parameter.setdefault("schema", {})
            kind = schema.get("type")
            if kind == "integer":
                schema["enum"] = [int(v) for v in values]
            elif kind == "array":
                schema.setdefault("items", {"type": "string"})["enum"] = values
            else:
                schema["enum"] = values
    return result
