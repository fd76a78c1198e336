"""A fast answer to "would openapi-spec-validator find nothing wrong with this document?".

openapi-spec-validator walks the document through ``jsonschema-path`` objects (every key an
object, every ``$ref`` resolved on each access) and checks each schema with Python ``jsonschema``:
most of a minute on a large description. :func:`certainly_valid` makes the same checks on the
plain data:

1. the document against the OpenAPI 3.0/3.1 JSON Schema — with openapi-spec-validator's own
   validator object (its jsonschema-rs backend when installed);
2. its keyword checks: unique tag names, unique ``(name, in)`` parameters, unique operationIds,
   path parameters declared exactly as the path template names them, and every schema it visits
   (component schemas, parameter schemas, response media schemas, and what they nest): the
   schema is valid against its metaschema (draft 4 for 3.0, checked with jsonschema-rs plus
   Python's ``re`` for ``pattern``, as jsonschema's ``regex`` format does), a ``required`` name
   of an ``allOf`` schema is defined somewhere, a ``default`` is valid against its schema.

It answers True only when each of these passes; anything it is not sure of (a schema it cannot
check without resolving a ``$ref``, a boolean schema, an exception) is False, and the caller then
runs openapi-spec-validator itself, whose verdict and messages stand. So a False costs time,
never a different verdict; ``tests/test_differential.py`` compares the two on valid and invalid
documents.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_HOPS = 32


class _Unsure(Exception):
    pass


def certainly_valid(root: dict[str, Any], version: str, match_patterns: bool = True) -> bool:
    """True when openapi-spec-validator would report no error for ``root`` (see the module).

    With ``match_patterns=False`` no pattern written in the document is ever matched against a
    value (a ``default`` whose schema holds ``pattern``/``patternProperties`` makes the answer
    False): safe to run in-process on a document whose regexes could backtrack for ever."""
    try:
        return _Checker(root, version, match_patterns).run()
    except _Unsure:
        return False
    except Exception:  # anything unexpected: openapi-spec-validator decides
        return False


def _deref(root: Any, node: Any) -> Any:
    seen: set[str] = set()
    for _ in range(_MAX_HOPS):
        if not (isinstance(node, dict) and "$ref" in node):
            return node
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#") or ref in seen:
            raise _Unsure
        seen.add(ref)
        node = _pointer(root, ref)
    raise _Unsure


def _pointer(root: Any, ref: str) -> Any:
    from urllib.parse import unquote

    cur = root
    if ref in ("#", "#/"):
        return root
    if not ref.startswith("#/"):
        raise _Unsure
    for raw in ref[2:].split("/"):
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            raise _Unsure
    return cur


def _walk(node: Any) -> Iterator[tuple[Any, Any]]:
    """Every (key, value) pair below ``node``."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                yield k, v
                if isinstance(v, (dict, list)):
                    stack.append(v)
        elif isinstance(cur, list):
            for v in cur:
                yield None, v
                if isinstance(v, (dict, list)):
                    stack.append(v)


class _Checker:
    def __init__(self, root: dict[str, Any], version: str, match_patterns: bool = True) -> None:
        self.root = root
        self.match_patterns = match_patterns
        self.v30 = version.startswith("3.0")
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: list[Any] = []
        #: property names reachable from each schema (by id), so that a DAG of ``allOf``s is walked
        #: once per schema, not once per path to it (exponential: each level referencing the
        #: previous twice doubles the paths)
        self.props: dict[int, list[str]] = {}
        self.props_open: set[int] = set()

    def run(self) -> bool:
        if not _document_validator("3.0" if self.v30 else "3.1").is_valid(self.root):
            return False
        root = self.root
        if "tags" in root:
            names = [_deref(root, t)["name"] for t in _deref(root, root["tags"])]
            if len(names) != len(set(names)):
                return False
        if "paths" in root:
            for url, item in _deref(root, root["paths"]).items():
                self.path(str(url), _deref(root, item))
        if "components" in root:
            components = _deref(root, root["components"])
            if "schemas" in components:
                for schema in _deref(root, components["schemas"]).values():
                    self.schema(schema)
        return True

    # -- paths and operations -------------------------------------------------------------------
    def parameters(self, params: Any) -> list[dict[str, Any]]:
        out = []
        seen = set()
        for p in _deref(self.root, params):
            p = _deref(self.root, p)
            if "schema" in p:
                self.schema(p["schema"])
            key = (p["name"], p["in"])
            if key in seen:
                raise _Unsure
            seen.add(key)
            out.append(p)
        return out

    def path(self, url: str, item: dict[str, Any]) -> None:
        shared = self.parameters(item["parameters"]) if "parameters" in item else None
        for name, op in item.items():
            if name in OPERATIONS:
                self.operation(url, _deref(self.root, op), shared)

    def operation(self, url: str, op: dict[str, Any], shared: list[dict[str, Any]] | None) -> None:
        if "operationId" in op:
            oid = op["operationId"]
            if oid is not None and oid in self.operation_ids:
                raise _Unsure
            self.operation_ids.append(oid)
        if "responses" in op:
            for resp in _deref(self.root, op["responses"]).values():
                resp = _deref(self.root, resp)
                if "content" in resp:
                    for media in _deref(self.root, resp["content"]).values():
                        media = _deref(self.root, media)
                        if "schema" in media:
                            self.schema(media["schema"])
        names: list[str] = []
        if "parameters" in op:
            names += [p["name"] for p in self.parameters(op["parameters"]) if p["in"] == "path"]
        if shared is not None:
            names += [p["name"] for p in shared if p["in"] == "path"]
        declared = {item[1] for item in string.Formatter().parse(url) if item[1]}
        if set(names) != declared:
            raise _Unsure

    # -- schemas --------------------------------------------------------------------------------
    def schema(self, raw: Any, require_properties: bool = True, meta_checked: bool = False) -> None:
        value = _deref(self.root, raw)
        if not isinstance(value, dict):
            raise _Unsure  # boolean schemas and non-schemas: openapi-spec-validator decides
        sid = id(value)
        if not meta_checked and sid not in self.meta_checked:
            self.meta_checked.add(sid)
            self.meta(value)
        if sid in self.visited:
            return
        self.visited.add(sid)
        nested: list[str] = []
        for kw in ("allOf", "anyOf", "oneOf"):
            if kw in value:
                for inner in _deref(self.root, value[kw]):
                    self.schema(inner, require_properties=False, meta_checked=True)
                    if kw == "allOf":
                        nested += self.properties(inner)
        for kw in ("not", "items"):
            if kw in value:
                self.schema(value[kw], require_properties=False, meta_checked=True)
        if "properties" in value:
            for inner in _deref(self.root, value["properties"]).values():
                self.schema(inner, require_properties=False, meta_checked=True)
        if "allOf" in value and require_properties:
            required = ("required" in value and _deref(self.root, value["required"])) or []
            props = list(_deref(self.root, value["properties"])) if "properties" in value else []
            if set(required) - set(props) - set(nested):
                raise _Unsure
        if "default" in value:
            default = value["default"]
            if default is not None or value.get("nullable", False) is not True:
                self.default(value, default)

    def properties(self, raw: Any) -> list[str]:
        """Every property name reachable from a schema (openapi-spec-validator's rule), each
        schema walked once (a loop through ``allOf``/``items`` is left to openapi-spec-validator)."""
        schema = _deref(self.root, raw)
        if not isinstance(schema, dict):
            raise _Unsure
        sid = id(schema)
        if sid in self.props:
            return self.props[sid]
        if sid in self.props_open:
            raise _Unsure
        self.props_open.add(sid)
        out: list[str] = []
        if "properties" in schema:
            out += list(_deref(self.root, schema["properties"]))
        for kw in ("allOf", "anyOf", "oneOf"):
            if kw in schema:
                for sub in _deref(self.root, schema[kw]):
                    out += self.properties(sub)
        for kw in ("items", "not"):
            if kw in schema:
                out += self.properties(schema[kw])
        self.props_open.discard(sid)
        self.props[sid] = out = list(dict.fromkeys(out))
        return out

    def meta(self, value: dict[str, Any]) -> None:
        if self.v30:  # draft 4 with jsonschema-rs: cheaper than a memo key
            _draft4_valid(value)
            return
        import json

        try:  # equal schemas get equal answers: many parameters are {type: string}
            key = (self.v30, self.root.get("jsonSchemaDialect"), json.dumps(value, sort_keys=True))
        except (TypeError, ValueError):
            key = None
        if key is not None and key in _META_OK:
            return
        self._meta(value)
        if key is not None:
            _META_OK.add(key)

    def _meta(self, value: dict[str, Any]) -> None:
        from jsonschema.validators import validator_for
        from openapi_schema_validator import OAS31_BASE_DIALECT_ID, oas31_format_checker

        dialect = value.get("$schema") if "$schema" in value else self.root.get("jsonSchemaDialect",
                                                                                   OAS31_BASE_DIALECT_ID)
        if not isinstance(dialect, str):
            raise _Unsure
        cls = validator_for({"$schema": dialect}, default=None)
        if cls is None:
            raise _Unsure
        from jsonschema.exceptions import SchemaError, ValidationError

        try:
            cls.check_schema(value, format_checker=oas31_format_checker)
        except (SchemaError, ValidationError):
            raise _Unsure from None

    def default(self, schema: dict[str, Any], value: Any) -> None:
        keys = {k for k, _ in _walk(schema)}
        if "$ref" in keys:
            raise _Unsure  # resolving references inside the schema: openapi-spec-validator's job
        if not self.match_patterns and keys & {"pattern", "patternProperties"}:
            raise _Unsure  # matching a document's regex: only under the caller's time limit
        if self.v30:
            from openapi_schema_validator import OAS30Validator, oas30_format_checker

            validator: Any = OAS30Validator(schema, format_checker=oas30_format_checker)
        else:
            from openapi_schema_validator import OAS31Validator, oas31_format_checker

            validator = OAS31Validator(schema, format_checker=oas31_format_checker)
        if next(validator.iter_errors(value), None) is not None:
            raise _Unsure


_DRAFT4: list[Any] = []
#: metaschema checks that passed, by (3.0?, jsonSchemaDialect, canonical JSON of the schema)
_META_OK: set[tuple[bool, Any, str]] = set()
_DOCUMENT: dict[str, Any] = {}


def _document_validator(version: str) -> Any:
    """openapi-spec-validator's validator of whole documents: with its default backend
    (jsonschema-rs when installed) it is ``jsonschema_rs.validator_cls_for(schema)(schema)`` on
    its own ``resources/schemas/v3.x/schema.json``; built here without importing the package (its
    settings pull in pydantic), or taken from it when a backend is chosen by environment."""
    if version in _DOCUMENT:
        return _DOCUMENT[version]
    import os

    backend = os.environ.get("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "auto").strip().lower()
    validator: Any = None
    if backend in ("auto", "jsonschema-rs"):
        try:
            import importlib.util
            import json
            from pathlib import Path

            import jsonschema_rs

            spec = importlib.util.find_spec("openapi_spec_validator")
            origin = spec.origin if spec is not None else None
            if origin is not None:
                path = Path(origin).parent / "resources" / "schemas" / f"v{version}" / "schema.json"
                schema = json.loads(path.read_text(encoding="utf-8"))
                validator = jsonschema_rs.validator_cls_for(schema)(schema)
        except (ImportError, OSError, ValueError):
            validator = None
    if validator is None:
        from openapi_spec_validator.schemas import openapi_v30_schema_validator, openapi_v31_schema_validator

        validator = openapi_v30_schema_validator if version == "3.0" else openapi_v31_schema_validator
    _DOCUMENT[version] = validator
    return validator


def _draft4_valid(value: dict[str, Any]) -> None:
    """``OAS30Validator.check_schema`` (the draft-04 metaschema, ``regex`` format): jsonschema-rs
    for the structure; Python's ``re`` for patterns and Python's idea of an integer checked here."""
    if not _DRAFT4:
        import jsonschema_rs
        from jsonschema.validators import Draft4Validator  # OAS30Validator.META_SCHEMA is draft 4's

        _DRAFT4.append(jsonschema_rs.Draft4Validator(Draft4Validator.META_SCHEMA, validate_formats=False))
    if not _DRAFT4[0].is_valid(value):
        raise _Unsure
    for k, v in _walk(value):
        if isinstance(v, float) and v.is_integer():
            raise _Unsure  # 5.0 is no draft-4 integer for jsonschema
        if k == "pattern" and isinstance(v, str):
            try:
                re.compile(v)
            except re.error:
                raise _Unsure from None
