"""Exceptions that need a second person: waivers and attestations in ``pr`` mode.

A waiver or an attestation lives in ``service.yaml``, which the pull request's author writes. So in
``pr`` mode one that is **new or changed against the base commit** counts only once the person it
names (a waiver's ``approved_by``, an attestation's ``by``) has approved the PR's head commit, and
that person is not the author. Until then the item is ``pending``, with a finding at the record's
line saying whose approval it waits for. ``waivers.approvers`` (logins or ``org/team`` slugs)
restricts who may approve a waiver; a waiver naming anyone else is refused. Records unchanged
from the base commit are trusted: they passed the gate when they were merged.

Everything comes from the evidence the run already gathered (the PR's reviews, the base commit's
``service.yaml`` read with the base files, team members): no request per record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from gate.context import Ctx, RunInfo
from gate.github.evidence import GitHubEvidence
from gate.model import Finding, Level, Result, Status, Waiver
from gate.readiness import Attestation, waiver_problem, waivers
from gate.readiness import attestation as read_attestation
from gate.sources.yaml.parse import YamlError, load
from gate.workspace import SourceProblem

#: the key of the person each kind of record names
PERSON = {"waivers": "approved_by", "attestations": "by"}


@dataclass(frozen=True)
class Hold:
    """Why a record does not count yet (``pending``: an approval would make it count) or at all."""

    message: str
    pending: bool


def _evidence(run: RunInfo) -> GitHubEvidence | None:
    if run.mode != "pr" or run.pr is None or not isinstance(run.github, GitHubEvidence):
        return None
    return run.github


def _records(text: str | None, kind: str) -> list[Any]:
    if not text:
        return []
    try:
        data = load(text)
    except YamlError:
        return []
    readiness = data.get("readiness") if isinstance(data, dict) else None
    raw = readiness.get(kind) if isinstance(readiness, dict) else None
    return raw if isinstance(raw, list) else []


def hold(run: RunInfo, manifest: str, kind: str, entry: Any) -> Hold | None:
    """None when the record counts as far as the second person is concerned (outside ``pr``
    mode, unchanged from the base, or approved by the person it names)."""
    ev = _evidence(run)
    pr = run.pr
    if ev is None or pr is None or not isinstance(entry, dict):
        return None
    base_known = manifest in ev.base_files and f"base:{manifest}" not in ev.errors
    if base_known and entry in _records(ev.base_files[manifest], kind):
        return None
    person = entry.get(PERSON[kind])
    if not isinstance(person, str) or not person.strip():
        return None  # the record's own validation says it names nobody
    person = person.strip()
    what = "waiver" if kind == "waivers" else "attestation"
    item = entry.get("item")
    label = f"{what} of {item}" if isinstance(item, str) else what
    why_new = "new or changed in this pull request" if base_known else (
        "the base commit's service.yaml could not be read, so it counts as new")
    if person.lower() == pr.author.lower():
        return Hold(f"{label} names {person}, the pull request's author ({PERSON[kind]}): someone else must "
                    "approve it", pending=False)
    if kind == "waivers":
        allowed = run.config.waivers.approvers
        if allowed and person.lower() not in {a.lower() for a in allowed if "/" not in a}:
            teams = [a for a in allowed if "/" in a]
            unknown = [t for t in teams if ev.team_members.get(t) is None]
            member = any(person.lower() in {m.lower() for m in ev.team_members.get(t) or ()} for t in teams)
            if not member:
                if unknown:
                    return Hold(f"{label}: whether {person} may approve waivers (waivers.approvers) is unknown: the "
                                f"members of {', '.join(unknown)} could not be read; give the action an org-token "
                                "with read:org", pending=True)
                return Hold(f"{label} is approved_by {person}, who is not one of waivers.approvers "
                            f"({', '.join(allowed)}): have one of them approve it", pending=False)
    if "reviews" in ev.errors:
        return Hold(f"{label} ({why_new}) needs {person}'s approval, and the pull request's reviews could not be "
                    "read: re-run the gate", pending=True)
    # the approval rules of promotion.approved: the person's standing review is an approval of the
    # commit under review (the PR's head, in a merge queue too), by a user with write access, not a bot
    from gate.github.reviews import standing_reviews, writes

    head = pr.review_sha
    for st in standing_reviews(ev.reviews, pr.author):
        r = st.review
        if st.user.lower() != person.lower():
            continue
        if st.state == "APPROVED" and r.commit_id and r.commit_id == head and not r.bot:
            w = writes(ev, r)
            if w is True:
                return None
            why = "has no write access to the repository" if w is False else "could not be checked for write access"
            return Hold(f"{label}: {person} approved, but {why}; an approval that counts comes from a user with "
                        "write access", pending=w is None)
        break
    return Hold(f"{label} is {why_new}: it counts once {person} (named in {PERSON[kind]}) approves this pull "
                f"request's head commit {head[:7]}; waiting for {person}'s approval", pending=True)


# -- waivers ------------------------------------------------------------------------------------
def held_waivers(run: RunInfo, manifest: str, waivers: list[Waiver]) -> dict[int | None, Hold]:
    """The waivers (by line) that do not count yet, from the raw records of ``service.yaml``."""
    ev = _evidence(run)
    if ev is None or not waivers:
        return {}
    doc = run.ws.yaml(manifest)
    raw = doc.get(["readiness", "waivers"], []) if doc is not None else []
    raw = raw if isinstance(raw, list) else []
    out: dict[int | None, Hold] = {}
    lines = {w.line for w in waivers}
    for i, entry in enumerate(raw):
        line = doc.line(["readiness", "waivers", i]) if doc is not None else None
        if line not in lines:
            continue
        h = hold(run, manifest, "waivers", entry)
        if h is not None:
            out[line] = h
    return out


Apply = Callable[[Result, str, list[Waiver]], tuple[Result, Waiver | None]]


def apply_waivers(res: Result, item_id: str, waivers: list[Waiver], held: dict[int | None, Hold],
                  manifest: str, apply: Apply) -> tuple[Result, Waiver | None]:
    """``apply`` (the engine's waiver rule) with the trusted waivers only; a failure that a
    waiver waiting for its approval would cover becomes ``pending``."""
    mine = [w for w in waivers if w.item == item_id and w.line in held]
    trusted = [w for w in waivers if w.line not in held]
    after, waiver = apply(res, item_id, trusted)
    if not mine or after.status != Status.FAIL:
        return after, waiver
    notes = tuple(Finding(held[w.line].message, manifest, w.line, w.line, Level.FAILURE) for w in mine)
    waiting = [w for w in mine if held[w.line].pending]
    if waiting:
        would, _ = apply(res, item_id, trusted + waiting)
        if would.status == Status.WAIVED:
            who = ", ".join(dict.fromkeys(w.approved_by for w in waiting))
            return replace(after, status=Status.PENDING, findings=after.findings + notes,
                           reason=f"waiver waits for the approval of {who}"), None
    return replace(after, findings=after.findings + notes), None


def trusted_waivers(run: RunInfo, manifest: str, waivers: list[Waiver]) -> list[Waiver]:
    held = held_waivers(run, manifest, waivers)
    return [w for w in waivers if w.line not in held]


# -- what a check reads -------------------------------------------------------------------------
def attestation(ctx: Ctx, item: str) -> Attestation:
    """The attestation of ``item`` in the service's ``service.yaml``, as far as it counts: in
    ``pr`` mode one that is new or changed waits for the approval of the person it names."""
    pr = ctx.run.pr
    path = ctx.service.manifest_path

    def held(entry: object) -> tuple[str, bool] | None:
        h = hold(ctx.run, path, "attestations", entry)
        return (h.message, h.pending) if h is not None else None

    return read_attestation(ctx.manifest, item, ctx.now, ctx.config.max_age_days, pr.author if pr else None, held)


def waived_targets(ctx: Ctx, item: str) -> set[str]:
    """Targets named by the unexpired, trusted waivers of ``item`` (tables exempt from brand
    scoping)."""
    out: set[str] = set()
    try:
        ws = waivers(ctx.manifest)
    except SourceProblem:
        return out
    for w in trusted_waivers(ctx.run, ctx.service.manifest_path, ws):
        if w.item == item and waiver_problem(w, ctx.now.date(), ctx.config.waivers.max_days) is None:
            out.update(w.targets)
    return out
