#!/bin/sh
# The Docker action's entrypoint: mark the mounted workspace safe for git (it is owned by the
# runner's user, and git refuses "dubious ownership"), then run prodgate. With no arguments
# prodgate reads the mode and flags from the action's inputs (INPUT_MODE, INPUT_SERVICE, ...).
set -e
git config --global --add safe.directory /github/workspace
if [ -n "${GITHUB_WORKSPACE:-}" ] && [ "${GITHUB_WORKSPACE}" != /github/workspace ]; then
  git config --global --add safe.directory "${GITHUB_WORKSPACE}"
fi
exec /usr/local/bin/prodgate "$@"
