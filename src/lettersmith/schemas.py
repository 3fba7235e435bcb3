"""JSON Schemas for briefs and library files, derived from the readers' own tables
(:data:`brief.TOP_KEYS`, :data:`brief.BLOCK_KEYS`, :data:`brief.CHOICES`,
:data:`library.FIELDS`), so an editor flags the same typos ``build`` would."""
from __future__ import annotations

import datetime as dt
from typing import Any

from . import brief as b
from . import library as lib
from .checks import CSL_TYPES

DRAFT = "http://json-schema.org/draft-07/schema#"
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD"}
PARTIAL_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "description": "YYYY-MM-DD, YYYY-MM or YYYY"}
_PY = {str: {"type": "string"}, dict: {"type": "object"}, list: {"type": "array"},
       int: {"type": "integer"}, bool: {"type": "boolean"}, dt.date: DATE}

# Library fields that are not plain text (everything else is a string).
FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    "tags": {"type": "array", "items": {"type": "string"}},
    "vars": {"type": "object"},
    "date": PARTIAL_DATE, "as-of": PARTIAL_DATE,
    "locator": {"type": ["string", "integer"]},
    "address": {"type": ["string", "array"], "items": {"type": "string"}},
    "columns": {"type": "integer", "minimum": 1},
    "per-row": {"type": "integer", "minimum": 1},
    "sort": {"type": "boolean"},
    "signers": {"type": "array", "items": {"anyOf": [
        {"type": "string"},
        {"type": "object", "required": ["name"], "additionalProperties": False,
         "properties": {k: {"type": "string"} for k in ("name", "title", "signature")}}]}},
    "speaker-kind": {"type": "string", "examples": ["law-enforcement", "congress", "faith",
                                                    "official", "organization"]},
}
_NAME = {"anyOf": [{"type": "string"}, {"type": "object", "properties": {
    k: {"type": "string"} for k in ("family", "given", "literal", "suffix",
                                    "non-dropping-particle", "dropping-particle")}}]}
_CSL_DATE = {"anyOf": [DATE, {"type": "integer"}, {"type": "object", "properties": {
    "date-parts": {"type": "array", "items": {"type": "array", "items": {"type": ["integer", "string"]}}},
    "literal": {"type": "string"}}}]}
SOURCE_PROPERTIES: dict[str, Any] = {
    "type": {"enum": list(CSL_TYPES), "description": "the CSL item type"},
    "author": {"type": "array", "items": _NAME}, "editor": {"type": "array", "items": _NAME},
    "recipient": {"type": "array", "items": _NAME},
    "issued": _CSL_DATE, "accessed": _CSL_DATE,
    "URL": {"type": "string", "pattern": "^https?://\\S+$"},
    **{k: {"type": "string"} for k in ("title", "title-short", "container-title", "publisher",
                                       "authority", "genre", "number", "note", "DOI")},
    **{k: {"type": ["string", "integer"]} for k in ("volume", "page", "issue", "section")},
    "hereinafter": {"type": "string", "description": "the name later notes use for this "
                    "source (Bluebook R4.2(b)), e.g. OIG Report; not a CSL field"},
}
ITEM_DESCRIPTIONS = {
    "source": "a CSL-JSON item written as YAML (Zotero/pandoc compatible)",
    "quote": "a quotation; it brings its own citation through source",
    "fact": "a fact that goes stale; check warns when as-of is too old",
    "recipient": "someone a letter is addressed to",
    "signatories": "a named sign-on list",
    "argument": "the YAML front matter of an argument block (snippets/**/*.md)",
    "organization": "an organization issuing press releases: media contact and About boilerplate",
}


def _of_types(types: tuple[type, ...], description: str) -> dict[str, Any]:
    options = [_PY[t] for t in types if t in _PY]
    schema: dict[str, Any] = dict(options[0]) if len(options) == 1 else {"anyOf": options}
    schema["description"] = description
    return schema


def item_schema(kind: str) -> dict[str, Any]:
    """The schema of one library item of ``kind`` (or an argument's front matter)."""
    required = [k for k in lib.REQUIRED[kind]]
    fields = lib.FIELDS[kind]
    id_schema = {"type": "string", "pattern": lib.ID_RE.pattern,
                 "description": "lowercase letters, digits and '-', unique in the library"}
    if fields is None:  # sources: any CSL field goes
        return {"type": "object", "description": ITEM_DESCRIPTIONS[kind],
                "required": ["id", *required], "additionalProperties": True,
                "properties": {"id": id_schema, **SOURCE_PROPERTIES}}
    properties = {f: FIELD_SCHEMAS.get(f, {"type": "string"}) for f in sorted(fields)}
    properties["id"] = id_schema
    return {"type": "object", "description": ITEM_DESCRIPTIONS[kind],
            "required": (["id"] if kind != "argument" else []) + required,
            "additionalProperties": False, "properties": properties}


def library_schema() -> dict[str, Any]:
    """The schema of a ``snippets/**/*.yaml`` file."""
    return {
        "$schema": DRAFT, "$id": "https://lettersmith.invalid/library.schema.json",
        "title": "lettersmith library file",
        "description": "Lists of library items: " + ", ".join(lib.LIST_KEYS),
        "type": "object", "additionalProperties": False,
        "properties": {key: {"type": "array", "items": {"$ref": f"#/definitions/{kind}"}}
                       for key, kind in lib.LIST_KEYS.items()},
        "definitions": {kind: item_schema(kind) for kind in lib.KINDS},
    }


def _settings(group: str) -> dict[str, Any]:
    props = {key: {"enum": list(choices)} for (g, key), choices in b.CHOICES.items() if g == group}
    return {"type": "object", "additionalProperties": False, "properties": props}


def brief_schema() -> dict[str, Any]:
    """The schema of a brief."""
    properties = {key: _of_types(types, expected) for key, (types, expected) in b.TOP_KEYS.items()}
    properties["date"] = dict(DATE, description=b.TOP_KEYS["date"][1])
    properties["template"]["examples"] = ["letter", "congressional-letter"]
    recipient = item_schema("recipient")
    recipient["required"] = ["name"]
    recipient["properties"].pop("id")
    properties["to"] = {"description": b.TOP_KEYS["to"][1],
                        "anyOf": [{"type": "string"}, recipient]}
    block_props = {key: _of_types(types, key) for key, types in b.BLOCK_KEYS.items()}
    block_props["asks"]["items"] = {"type": "string"}
    block_props["from"]["description"] = ("on a text block: the snippet id its wording came from "
                                          "(written by review --apply brief)")
    block = {"type": "object", "additionalProperties": False, "properties": block_props,
             "oneOf": [{"required": [kind]} for kind in b.BLOCK_KINDS]}
    properties["body"]["items"] = {"anyOf": [{"type": "string"}, block]}
    properties["cc"] = {"description": b.TOP_KEYS["cc"][1],
                        "anyOf": [{"type": "string"}, {"type": "array"}]}
    signers = FIELD_SCHEMAS["signers"]
    options = {key: _of_types(types, key) for key, types in b.SIGNATORY_KEYS.items()}
    options["signers"] = signers
    properties["signatories"] = {
        "description": b.TOP_KEYS["signatories"][1],
        "anyOf": [{"type": "string"}, signers,
                  {"type": "object", "additionalProperties": False, "properties": options,
                   "anyOf": [{"required": ["use"]}, {"required": ["signers"]}]}]}
    properties["notes"] = dict(_settings("notes"), description=b.TOP_KEYS["notes"][1])
    properties["citations"] = dict(_settings("citations"), description=b.TOP_KEYS["citations"][1])
    properties["press"] = press_schema()
    properties["addresses"]["additionalProperties"] = {"type": "string"}
    return {"$schema": DRAFT, "$id": "https://lettersmith.invalid/brief.schema.json",
            "title": "lettersmith brief", "type": "object", "additionalProperties": False,
            "properties": properties}


def _keys(table: dict[str, tuple[type, ...]]) -> dict[str, Any]:
    return {key: _of_types(types, key) for key, types in table.items()}


def press_schema() -> dict[str, Any]:
    """The schema of a brief's ``press:`` section (from brief.PRESS_KEYS and friends)."""
    props = {key: _of_types(types, expected) for key, (types, expected) in b.PRESS_KEYS.items()}
    props["date"] = dict(DATE, description=b.PRESS_KEYS["date"][1])
    props["contacts"]["items"] = {"type": "string"}
    props["about"]["items"] = {"type": "string"}
    props["signers"].update(additionalProperties=False, properties=_keys(b.PRESS_SIGNER_KEYS))
    props["signers"]["properties"]["first"]["items"] = {"type": "string"}
    props["letter-quotes"]["items"] = {
        "type": "object", "additionalProperties": False, "properties": _keys(b.LETTER_QUOTE_KEYS),
        "oneOf": [{"required": ["words"]}, {"required": ["sentence", "from"]}]}
    item = {"type": "object", "additionalProperties": False, "properties": _keys(b.PRESS_ITEM_KEYS),
            "oneOf": [{"required": [kind]} for kind in b.PRESS_ITEM_KINDS]}
    item["properties"]["quote"] = {"anyOf": [{"type": "string"},
                                             {"type": "array", "items": {"type": "string"}}],
                                   "description": "a library quote id, or ids said one after another"}
    props["body"]["items"] = {"anyOf": [{"type": "string"}, item]}
    return {"type": "object", "description": b.TOP_KEYS["press"][1], "required": ["headline"],
            "additionalProperties": False, "properties": props}


SCHEMAS = {"brief.schema.json": brief_schema, "library.schema.json": library_schema}
