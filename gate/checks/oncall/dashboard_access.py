"""Only a person can attest that the on-call people can read the dashboards. A valid attestation of `oncall.dashboard-access` in `readiness.attestations` (by a person other than the PR author, dated at most `attestations.max_age_days` (30) days before the gate's clock, not after it) passes the item with who and when; otherwise the item is `manual`.

## Evidence

attest: service.yaml `readiness.attestations`.

## How to fix

```yaml
readiness:
  attestations:
    - item: oncall.dashboard-access
      by: <github login>
      at: 2026-11-20
      evidence: <link>
```

The finding is at the attestation that does not count, or at `readiness` (the top of the file) when there is none.
"""

from __future__ import annotations

from gate.checks.oncall._attest import attested
from gate.context import Ctx
from gate.model import Result

ITEM = "oncall.dashboard-access"


def check(ctx: Ctx) -> Result:
    return attested(ctx, ITEM)
