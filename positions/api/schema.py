"""What the OpenAPI document says of every operation besides its 200: the errors it can answer,
each a JSON object with a ``detail`` (and, for a 400, the parameters at fault with why). A
drf-spectacular postprocessing hook, so no endpoint can be added without them."""

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
        "A parameter is invalid (a filter, page, page_size or ordering): named in the body."
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
