"""The OpenAPI schema's error answers, stated once for every operation (API.md: every status an
endpoint can return is in the schema).

Some refusals come from machinery every operation shares, so they are added here by rule:

- 400 everywhere: the input guard refuses control characters in any path or query string, and
  bodies and query parameters are checked (``codeofconduct/inputs.py``);
- 401 and 403 everywhere: a wrong token is refused even where reading is open, and an
  administrator's or moderator's session is signed out when idle (401) and refused until it has
  confirmed its second factor (403, ``accounts/twofactor.py``); the rules and, for a session, CSRF
  refuse writes too (403);
- 404 where the path names an object (missing, hidden from the caller, or not an id at all) and on
  paginated lists (a page past the last);
- 406 everywhere: DRF refuses an ``Accept`` header that names no type it renders (JSON);
- 413 and 415 where there is a body: over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or a field over its
  limit; a ``Content-Type`` the operation does not read;
- 414 everywhere: gunicorn refuses a request line over 4 KB, in HTML, before the API sees it.

Refusals a view's own rules decide (409 where the current state can refuse, 404 for ids named in a
body, 429 where a rate limit holds) are declared on the view, with their reason, as
``OpenApiResponse(description=...)``; this class gives each the body its status always has.
"""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import ResolvedComponent

ERROR = {
    "type": "object",
    "description": "One message; a refusal may add the state it depends on.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Messages per field (`{field: [message]}`; a nested field's are an object, a list's items by"
        " position), or one `detail` for the request as a whole."
    ),
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}
CONFLICT = {
    "type": "object",
    "description": "Not now: the message and the current state that refuses the request.",
    "properties": {
        "detail": {"type": "string"},
        "current_version": {"type": "integer", "description": "A clause's version now (stale edits)."},
        "phase": {"type": "string", "description": "The round's phase now (moves, votes, proposals)."},
        "status": {"type": "string", "description": "The item's or the export's status now."},
        "hidden": {"type": "boolean", "description": "The comment is hidden by a moderator."},
        "role": {"type": "string", "description": "The caller's role in the draft now (asking to join)."},
        "request": {"type": "integer", "description": "The caller's pending request to join, already made."},
    },
    "required": ["detail"],
}

# status: (component name, body schema, description when the view gives none)
ERRORS = {
    400: ("FieldErrors", FIELD_ERRORS, "The request is not valid: messages per field, or one `detail`."),
    401: ("Error", ERROR, "Not signed in, the token is not valid, or a privileged session was idle too long."),
    403: (
        "Error",
        ERROR,
        "Not allowed: the rules refuse this caller, a session write lacks its CSRF token, or an administrator's"
        " or moderator's session has not confirmed its second factor.",
    ),
    404: ("Error", ERROR, "No such object, or not one the caller may see; or a page past the last."),
    406: ("Error", ERROR, "The Accept header names no type this operation answers in."),
    409: ("Conflict", CONFLICT, "Not now: the current state refuses it (the body says which)."),
    413: ("FieldErrors", FIELD_ERRORS, "The body, or one of its fields, is larger than its limit."),
    415: ("Error", ERROR, "The body's Content-Type is not one this operation reads."),
    429: ("Error", ERROR, "Too many requests from this address or for this account; wait and try again."),
}
URI_TOO_LONG = {
    "description": "The address is longer than the web server reads (4 KB); it answers before the API does.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for status in self.shared_refusals(operation):
            responses.setdefault(str(status), {})
        responses.setdefault("414", URI_TOO_LONG)
        for status, (name, schema, description) in ERRORS.items():
            response = responses.get(str(status))
            if response is None:
                continue
            response["description"] = response.get("description") or description
            if not response.get("content"):
                component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
                registry.register_on_missing(component)
                response["content"] = {"application/json": {"schema": component.ref}}
            if status == 429:
                response.setdefault("headers", RETRY_AFTER)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def get_filter_backends(self):
        # Only views that name their filters have any (organizations); the lists that read through
        # selectors have no queryset to introspect and no filter parameters to document.
        if not (getattr(self.view, "filterset_fields", None) or getattr(self.view, "filterset_class", None)):
            return []
        return super().get_filter_backends()

    def shared_refusals(self, operation) -> set[int]:
        """The error statuses this operation can answer whatever its view decides."""
        parameters = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
        statuses = {400, 401, 403, 406}
        if any(place == "path" for place, _ in parameters) or ("query", "page") in parameters:
            statuses.add(404)
        if "requestBody" in operation:
            statuses |= {413, 415}
        return statuses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The API token (accounts.authentication, django-rest-knox's) as the schema names it: the same
    ``tokenAuth`` scheme and header as before tokens were hashed, so clients change nothing."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A token from POST /api/v1/auth/token/, sent with the prefix "Token": '
            "`Authorization: Token <key>`.",
        }
