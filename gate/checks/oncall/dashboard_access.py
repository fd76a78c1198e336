"""oncall.dashboard-access: On-call has read access to dashboards.

Only a person can attest it: a valid attestation of `oncall.dashboard-access` in service.yaml
`readiness.attestations` passes the item with who and when; otherwise it is `manual`, with
the reason at the attestation's line (or at `readiness` / the top when there is none).
"""

from __future__ import annotations

from gate.checks.oncall._attest import attested
from gate.context import Ctx
from gate.model import Result

ITEM = "oncall.dashboard-access"


def check(ctx: Ctx) -> Result:
    return attested(ctx, ITEM)
