"""Schemathesis hooks for test/fuzz/api-fuzz.test.ts (loaded through SCHEMATHESIS_HOOKS).

They drop five kinds of check failure that are not the API's fault, each only when it is shown to be so;
every other failure still fails the run.

1. A list cursor (positive_data_acceptance). The document states a cursor's form (base64url, bounded
   length) and that it is opaque: a list decodes only the cursors it handed out and refuses any other
   with 400 and the field `cursor`. No schema can say which strings a server issued, so a generated
   cursor of the right form is almost never one the list issued. Dropped only when the request carried
   a cursor and the problem names nothing but that cursor.

2. Unicode property escapes (both data checks). Tags and skills are "a letter of any script, then
   letters, marks, digits, - or _", which the document states with ECMA-262 `\\p{L}`, `\\p{M}`, `\\p{N}`.
   Python's `re` has no `\\p{…}`, so Schemathesis generates and judges data with an approximation
   (Latin letters only, a few mark blocks that include unassigned code points): it takes `Жук` for an
   invalid tag and `ć` followed by the unassigned U+20F8 for a valid one. So a "valid" request the API
   refused is dropped only if it does not conform to the document when checked with a real ECMA-262
   engine (jsonschema_rs on the document as published), and an "invalid" request the API accepted only
   if it does conform.

3. A bookmark's `spaceId` with a visibility other than "space", or "space" without it
   (positive_data_acceptance). The rule ties two fields ("spaceId with visibility space, and only then"), which the document states in words on
   `spaceId`; as a schema it would take a `oneOf` of two bodies, and zod would then answer every bad
   field of such a body with one unreadable union error. Dropped only when the problem names nothing
   but that rule on `json.spaceId`.

4. An attachment's file name (positive_data_acceptance). A name is checked with its type: no path
   separators or control characters, and an extension that is one of the declared type's (a `.pdf`
   named `image/png` is refused). The document states this in words on `name`; the schema cannot tie
   a string's ending to another field's value. Dropped only when the problem names nothing but
   `json.name` ("not a valid file name") or `json.contentType` ("not allowed", the name/type pair);
   and a 413 `file-too-large` for a size over the deployment's own limit (`commonplace:attachmentMaxBytes`,
   25 MB by default: configured, so stated in words, not in the schema).

5. A bookmark import started for an upload that was never sent (positive_data_acceptance). `POST
   /me/bookmarks/imports` takes the id of an upload granted by `POST /me/bookmarks/imports/uploads`
   *after the file was sent to the blob store* — a step outside the API that no generated request can
   take. Dropped only for that route when the answer is the 409 `upload-missing` problem naming
   `json.uploadId`, or the 409 `import-running` of an earlier generated case's import still running.
"""

import json
import os

import jsonschema_rs
import schemathesis
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.openapi.checks import RejectedPositiveData


def _field_errors(response) -> list[dict] | None:
    """The `errors` of a 400 problem, or None when the response is anything else."""
    if response.status_code != 400:
        return None
    try:
        problem = response.json()
    except Exception:
        return None
    errors = problem.get("errors") if isinstance(problem, dict) else None
    if not isinstance(errors, list) or not errors or not all(isinstance(e, dict) for e in errors):
        return None
    return errors


def _only_the_cursor_refused(case, response) -> bool:
    errors = _field_errors(response) if (case.query or {}).get("cursor") else None
    return errors is not None and all(
        error.get("field") == "cursor" and error.get("message") == "invalid cursor" for error in errors
    )


def _only_the_space_rule(response) -> bool:
    errors = _field_errors(response)
    return (
        errors is not None
        and len(errors) == 1
        and errors[0].get("field") == "json.spaceId"
        and errors[0].get("message") in ("only with visibility space", "required with visibility space")
    )


def _over_the_configured_size(response) -> bool:
    if response.status_code != 413:
        return False
    try:
        return str(response.json().get("type", "")).endswith("/file-too-large")
    except Exception:
        return False


def _no_upload_sent(response) -> bool:
    if response.status_code != 409:
        return False
    try:
        kind = str(response.json().get("type", ""))
    except Exception:
        return False
    return kind.endswith("/upload-missing") or kind.endswith("/import-running")


def _only_the_file_name_rule(response) -> bool:
    errors = _field_errors(response)
    return (
        errors is not None
        and len(errors) == 1
        and (errors[0].get("field"), errors[0].get("message"))
        in (("json.name", "not a valid file name"), ("json.contentType", "not allowed"))
    )


_validators: dict[str, jsonschema_rs.Draft202012Validator] = {}


def _valid(schema: dict, components: dict, value) -> bool:
    """`value` against a schema of the document, its `$ref`s resolved, with ECMA-262 regular expressions."""
    key = json.dumps(schema, sort_keys=True)
    if key not in _validators:
        _validators[key] = jsonschema_rs.Draft202012Validator({**schema, "components": components})
    return _validators[key].is_valid(value)


def _as_sent(schema: dict, value):
    """A query or path value as the server reads it: numbers arrive as text and are coerced."""
    if isinstance(value, str) and schema.get("type") in ("integer", "number"):
        for number in (int, float):
            try:
                return number(value)
            except ValueError:
                pass
    return value


def _conforms(case) -> bool:
    """Whether the request's path, query and body conform to the document, judged by an ECMA-262 engine."""
    document = case.operation.schema.raw_schema
    operation = document["paths"][case.operation.path][case.method.lower()]
    components = document.get("components", {})
    containers = {"path": case.path_parameters or {}, "query": case.query or {}}
    for parameter in operation.get("parameters", []):
        if parameter["in"] not in containers:
            continue
        container = containers[parameter["in"]]
        if parameter["name"] not in container:
            if parameter.get("required"):
                return False
            continue
        value = _as_sent(parameter["schema"], container[parameter["name"]])
        if not _valid(parameter["schema"], components, value):
            return False
    body = operation.get("requestBody")
    if body is not None:
        if case.body is None or type(case.body).__name__ == "NotSet":
            return not body.get("required", False)
        media = body["content"].get(case.media_type or "application/json")
        if media is None or not _valid(media["schema"], components, case.body):
            return False
    return True


def _dropped(why: str, case, response) -> bool:
    """Notes a dropped failure in $FUZZ_DROPPED_LOG when set, so that what is dropped can be read."""
    log = os.environ.get("FUZZ_DROPPED_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"{why}\t{case.method} {case.path}\t{response.status_code}\t{response.text[:300]}\n")
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure but the five kinds above."""
    if isinstance(failure, RejectedPositiveData):
        if _only_the_cursor_refused(case, response):
            return _dropped("unissued cursor", case, response)
        if _only_the_space_rule(response):
            return _dropped("spaceId without visibility space", case, response)
        if "/attachments/uploads" in case.operation.path and (
            _only_the_file_name_rule(response) or _over_the_configured_size(response)
        ):
            return _dropped("file name and type checked together", case, response)
        if case.operation.path == "/me/bookmarks/imports" and _no_upload_sent(response):
            return _dropped("import of an upload never sent", case, response)
        if not _conforms(case):
            return _dropped("not valid by ECMA-262", case, response)
    if isinstance(failure, AcceptedNegativeData) and _conforms(case):
        return _dropped("valid by ECMA-262", case, response)
    return True
