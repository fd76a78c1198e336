"""Only a person can attest that the on-call people were told about the promotion. A valid attestation of `oncall.notified` (by someone other than the PR author, dated at most `attestations.max_age_days` (30) days before the gate's clock, not after it) passes the item; otherwise it is `manual`. It is a promotion-time item: reported on a PR, judged by `promote`.

## Evidence

attest: service.yaml `readiness.attestations`.

## How to fix

```yaml
readiness:
  attestations:
    - item: oncall.notified
      by: <github login>
      at: 2026-11-20
      evidence: https://loop.slack.com/archives/C123/p456
```

The finding is at the attestation that does not count, or at `readiness` (the top of the file) when there is none.
"""

from __future__ import annotations

from gate.checks.oncall._attest import attested
from gate.context import Ctx
from gate.model import Result

ITEM = "oncall.notified"


def check(ctx: Ctx) -> Result:
    return attested(ctx, ITEM)
