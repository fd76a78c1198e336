#!/bin/bash
# The Docker action's entrypoint: mark the mounted workspace safe for git (it is owned by the
# runner's user, and git refuses "dubious ownership"), then run prodgate. With no arguments
# prodgate reads the mode and flags from the action's inputs (INPUT_MODE, INPUT_SERVICE, ...).
#
# bash, not sh: the runner passes inputs as INPUT_<NAME> with hyphens kept (INPUT_GITHUB-TOKEN,
# INPUT_SARIF-FILE, INPUT_ORG-TOKEN, INPUT_PULL-REQUEST, INPUT_AFTER-DEPLOY). Such names are not
# shell variables; dash (Debian's /bin/sh) drops them from the environment it passes on, bash
# keeps them. This script never reads them itself: prodgate reads them from os.environ.
# tests/container/ fails when one is lost.
set -e
git config --global --add safe.directory /github/workspace
if [ -n "${GITHUB_WORKSPACE:-}" ] && [ "${GITHUB_WORKSPACE}" != /github/workspace ]; then
  git config --global --add safe.directory "${GITHUB_WORKSPACE}"
fi
exec /usr/local/bin/prodgate "$@"
