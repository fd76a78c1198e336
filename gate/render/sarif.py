"""SARIF 2.1.0: one rule per item id, one result per finding of an item that is not met,
waived items as suppressed results; uploadable to GitHub code scanning."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from gate import __version__, catalog
from gate.model import Finding, Level, Report, Status
from gate.render.common import docs_link

_LEVEL = {Level.FAILURE: "error", Level.WARNING: "warning", Level.NOTICE: "note"}
_REPORTED = {Status.FAIL, Status.WARN, Status.PENDING, Status.MANUAL, Status.UNVERIFIED, Status.WAIVED}
INFO_URI = "https://github.com/prodgate/prodgate"


#: the characters a path keeps in a URI reference (RFC 3986 pchar and ``/``, less ``:``, which in a
#: first segment would read as a scheme); every other byte of its UTF-8 is percent-encoded
_URI_SAFE = "/-._~!$&'()*+,;=@"


def uri(path: str) -> str:
    """A repository path as the relative URI reference SARIF requires (3.10, ``uri-reference``):
    ``a b#1 %.ts`` is ``a%20b%231%20%25.ts``, so that a space, ``#`` (a fragment), ``?`` (a query),
    ``%`` or a non-ASCII letter names the file it is, not another."""
    return quote(path, safe=_URI_SAFE)


def _location(f: Finding, fallback: str) -> dict[str, Any]:
    region: dict[str, Any] = {}
    if f.line is not None and f.line >= 1:
        region = {"startLine": f.line, "endLine": max(f.end_line or f.line, f.line)}
    phys: dict[str, Any] = {"artifactLocation": {"uri": uri(f.path or fallback), "uriBaseId": "%SRCROOT%"}}
    if region:
        phys["region"] = region
    return {"physicalLocation": phys}


def render(report: Report) -> str:
    rules = [
        {
            "id": it.id,
            "name": it.id.replace(".", "/"),
            "shortDescription": {"text": it.title},
            "fullDescription": {"text": f"{it.title} (evidence: {it.evidence})"},
            "helpUri": docs_link(it.id, report.docs_url),
            "help": {"text": f"See {docs_link(it.id, report.docs_url)}"},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["production-readiness", it.section]},
        }
        for it in catalog.ITEMS
    ]
    index = {it.id: n for n, it in enumerate(catalog.ITEMS)}
    results: list[dict[str, Any]] = []
    groups = [("", "", report.items)] + [(s.name, f"{s.path}/service.yaml", s.items) for s in report.services]
    for svc, manifest, items in groups:
        for it in items:
            if it.status not in _REPORTED:
                continue
            findings = list(it.findings) or [Finding(it.reason or it.status.value, None, None)]
            for f in findings:
                level = "error" if it.status in (Status.FAIL, Status.PENDING, Status.MANUAL) else "warning"
                if f.level == Level.NOTICE or it.status == Status.WAIVED:
                    level = "note"
                prefix = f"[{svc}] " if svc else ""
                res: dict[str, Any] = {
                    # a finding's own rule is a hierarchical id under the item's (SARIF 3.27.5)
                    "ruleId": f"{it.id}/{f.rule}" if f.rule else it.id,
                    "ruleIndex": index[it.id],
                    "level": level,
                    "message": {"text": f"{prefix}{it.id} ({it.status.value}): {f.message}"},
                    "locations": [_location(f, manifest or ".github/prod-readiness.yml")],
                    "properties": {"service": svc, "status": it.status.value},
                }
                if it.status == Status.WAIVED and it.waiver is not None:
                    res["suppressions"] = [
                        {
                            "kind": "external",
                            "justification": f"{it.waiver.reason} (approved by {it.waiver.approved_by}, expires {it.waiver.expires})",
                        }
                    ]
                results.append(res)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "prodgate",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFO_URI,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"prodgate/{report.mode}/"},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
