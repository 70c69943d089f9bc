"""The OpenAPI schema says what the API does: every operation's errors, typed bodies, enums, string bounds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from section307.config.api import api

SCHEMA: dict[str, Any] = api.get_openapi_schema()
COMPONENTS: dict[str, Any] = SCHEMA["components"]["schemas"]
OPERATIONS = [(f"{method.upper()} {path}", op) for path, item in SCHEMA["paths"].items() for method, op in item.items()]
# Inputs and outputs whose values come from a fixed list (decisions, statuses, regimes, list names...).
CHOICE_NAMES = {
    "status",
    "decision",
    "regime",
    "phase",
    "type",
    "kind",
    "role",
    "indicator",
    "source_type",
    "direction",
    "mode",
    "priority",
    "risk_rating",
    "industry",
    "supply_chain_stage",
    "contact_method",
    "format",
}


def _resolve(node: Any) -> Any:
    if isinstance(node, dict) and "$ref" in node:
        return _resolve(COMPONENTS[node["$ref"].rsplit("/", 1)[-1]])
    return node


def _variants(node: Any) -> list[Any]:
    node = _resolve(node)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            return [v for sub in node[key] for v in _variants(sub)]
    return [node]


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (dotted name, schema) in a request or response schema, through arrays and refs."""
    for variant in _variants(node):
        if variant.get("type") == "array":
            yield from _properties(variant.get("items", {}), path + "[]")
        for name, prop in variant.get("properties", {}).items():
            yield f"{path}.{name}".lstrip("."), prop
            yield from _properties(prop, f"{path}.{name}")


def expected_errors(op: dict[str, Any]) -> set[int]:
    """The errors an operation can answer, from its shape (see docs/api.md, "Status codes")."""
    params = {p["in"] for p in op.get("parameters", [])}
    expected: set[int] = set()
    if op.get("security"):
        expected |= {401, 403}
    if "path" in params:
        expected |= {400, 404}
    if "query" in params:
        expected |= {400, 422}
    if "requestBody" in op:
        expected |= {400, 413, 422}
    return expected


@pytest.mark.parametrize(("name", "op"), OPERATIONS, ids=[n for n, _ in OPERATIONS])
def test_every_operation_documents_its_errors_with_the_error_body(name: str, op: dict[str, Any]) -> None:
    responses = {int(code): body for code, body in op["responses"].items()}
    missing = expected_errors(op) - set(responses)
    assert not missing, f"{name} does not document {sorted(missing)}"
    for status, body in responses.items():
        if status >= 400:
            schema = body["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (name, status)


@pytest.mark.parametrize(("name", "op"), OPERATIONS, ids=[n for n, _ in OPERATIONS])
def test_bodies_are_typed(name: str, op: dict[str, Any]) -> None:
    if "requestBody" not in op:
        return
    for content in op["requestBody"]["content"].values():
        for variant in _variants(content["schema"]):
            kind = variant.get("type")
            items = _resolve(variant.get("items", {}))
            assert kind in {"object", "array"}, name
            typed = variant if kind == "object" else items
            assert typed.get("properties"), f"{name}: an untyped body"
            assert typed.get("additionalProperties") is not True, f"{name}: an open body"


def _input_strings(op: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for param in op.get("parameters", []):
        if param["in"] in {"query", "path"}:
            yield param["name"], param["schema"]
    if "requestBody" in op:
        schema = op["requestBody"]["content"].get("application/json", {}).get("schema", {})
        yield from _properties(schema)


@pytest.mark.parametrize(("name", "op"), OPERATIONS, ids=[n for n, _ in OPERATIONS])
def test_input_strings_are_bounded_and_choices_are_enums(name: str, op: dict[str, Any]) -> None:
    for field, schema in _input_strings(op):
        for variant in _variants(schema):
            if variant.get("type") != "string":
                continue
            bounded = {"maxLength", "enum", "pattern", "format", "const"} & set(variant)
            in_path = any(p["name"] == field and p["in"] == "path" for p in op.get("parameters", []))
            assert bounded or in_path, f"{name}: {field} is an unbounded string"
        if field.rsplit(".", 1)[-1] in CHOICE_NAMES:
            assert all("enum" in v or "const" in v for v in _variants(schema)), f"{name}: {field} is not an enum"


@pytest.mark.parametrize(("name", "op"), OPERATIONS, ids=[n for n, _ in OPERATIONS])
def test_output_choices_are_enums(name: str, op: dict[str, Any]) -> None:
    for status, body in op["responses"].items():
        if int(status) >= 300 or "application/json" not in body.get("content", {}):
            continue
        for field, schema in _properties(body["content"]["application/json"]["schema"]):
            if field.rsplit(".", 1)[-1] in CHOICE_NAMES - {"kind"}:
                variants = [v for v in _variants(schema) if v.get("type") != "null"]
                assert all("enum" in v or "const" in v for v in variants), f"{name}: {field} is not an enum"


def test_the_error_body_is_the_service_error_shape() -> None:
    error = COMPONENTS["ErrorOut"]
    assert set(error["required"]) == {"detail", "code"}
    assert {"detail", "code", "rule", "field", "errors"} <= set(error["properties"])


def test_the_checks_catch_an_undocumented_operation() -> None:
    bare = {"security": [{"TokenAuth": []}], "parameters": [{"in": "path", "name": "x"}], "responses": {"200": {}}}
    assert expected_errors(bare) == {400, 401, 403, 404}
