"""The stand-in's OpenAPI validation itself: it must refuse what GitHub would refuse."""

from __future__ import annotations


def test_validation_refuses_bad_requests(openapi):
    ok = {"name": "prod-readiness", "head_sha": "a" * 40, "status": "completed", "conclusion": "success",
          "output": {"title": "t", "summary": "s", "annotations": [
              {"path": "a.md", "start_line": 1, "end_line": 1, "annotation_level": "failure", "message": "m"}]}}
    assert openapi.validate("POST", "/repos/o/r/check-runs", [], ok) == []
    bad = {**ok, "output": {"title": "t", "summary": "s", "annotations": [{"path": "a.md", "message": "m"}]}}
    assert any("start_line" in p for p in openapi.validate("POST", "/repos/o/r/check-runs", [], bad))
    assert any("'bogus' is not one of" in p for p in openapi.validate(
        "PATCH", "/repos/o/r/check-runs/5", [], {"conclusion": "bogus"}))
    assert openapi.validate("GET", "/repos/o/r/pulls/1/files", [("per_page", "100"), ("page", "2")], None) == []
    assert any("unknown query parameter 'limit'" in p
               for p in openapi.validate("GET", "/repos/o/r/pulls/1/files", [("limit", "5")], None))
    assert any("no such operation" in p for p in openapi.validate("GET", "/repos/o/r/pulls/1/diffstat", [], None))
    assert any("requires a body" in p for p in openapi.validate("POST", "/repos/o/r/check-runs", [], None))
    assert openapi.operation("GET", "/repos/o/r/contents/docs/services/a.md") == \
        "GET /repos/{owner}/{repo}/contents/{path}"
