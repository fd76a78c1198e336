#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine (Python 3.11, pip, Node 20/npm, Debian),
# then run the linters and the test suite. Safe to run again: each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: PostgreSQL (live grants tests), Chromium (catalog page tests), git; docker.io
# and debootstrap for the container test (tests/container/: it starts a dockerd of its own with
# scripts/container-engine.sh, builds a base image with debootstrap, and stops the dockerd).
need=()
for pkg in postgresql chromium git docker.io debootstrap; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "== apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Python: the package and its test tools.
echo "== pip install -e .[test]"
python3 -m pip install -q --disable-pip-version-check -e ".[test]"

# npm: GitHub's own OpenAPI description and webhook payload examples (test artifacts).
if [ ! -d .cache/node/node_modules/@octokit/openapi ] || [ ! -d .cache/node/node_modules/@octokit/webhooks-examples ]; then
  echo "== npm install @octokit/openapi @octokit/webhooks-examples"
  mkdir -p .cache/node
  (cd .cache/node && npm install --silent --no-audit --no-fund @octokit/openapi@23 @octokit/webhooks-examples@7)
fi

# npm: Hono itself, for the differential test of the route table against Hono's router
# (tests/hono/; test-only, never needed by the product).
if [ ! -d .cache/hono/node_modules/hono ] || [ ! -d .cache/hono/node_modules/tsx ] || [ ! -d .cache/hono/node_modules/@hono/zod-openapi ]; then
  echo "== npm install hono tsx @hono/zod-openapi zod"
  mkdir -p .cache/hono
  (cd .cache/hono && npm install --silent --no-audit --no-fund hono@4.13.19 tsx@4.23.15 @hono/zod-openapi@1.6.3 zod@4.6.7)
fi

echo "== ruff"
python3 -m ruff check gate tests bench
echo "== mypy --strict gate"
python3 -m mypy gate
echo "== pytest"
python3 -m pytest -q -p no:cacheprovider "$@"
