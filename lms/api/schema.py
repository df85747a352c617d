"""drf-spectacular hooks for the OpenAPI schema at /api/schema/."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` for most errors; for validation errors, a list of messages per field.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input",
    "401": "Not signed in",
    "403": "Not allowed",
    "404": "Not found (or not yours to see)",
    "429": "Too many requests",
}


def exclude_wagtail_admin_api(endpoints):
    """Keep Wagtail's own admin API out of our OpenAPI schema: it is not ours to document."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/admin/")]


def add_error_responses(result, generator, request, public):
    """Document the error answers every operation can give, so clients (and schema checks) expect them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["401", "403", "429"]
            if method != "get" or operation.get("parameters"):
                codes.append("400")
            # Object paths, writes, and list pages past the end all answer 404.
            codes.append("404")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": reference}}})
    return result
