# prodgate as a Docker container action.
#
# - The base image is pinned by version (Python 3.11 on Debian bookworm, slim).
# - git is installed: pr mode reads the PR's base commit (`git show <base>:.github/prod-readiness.yml`)
#   and falls back to `git diff base...head` for PRs over GitHub's 3,000-file listing limit.
# - The container runs as root. GitHub runs Docker actions with the workspace
#   (/github/workspace), the event file and the file-command files (GITHUB_OUTPUT,
#   GITHUB_STEP_SUMMARY) mounted from the runner and owned by the runner's user; GitHub's
#   documentation requires Docker actions to run as the default (root) user: with a USER line
#   the action cannot write its outputs or read the workspace. The gate never executes code
#   from the repository it judges (it only reads files), so root inside this container does not
#   run untrusted code.
# - git refuses a repository owned by another user ("dubious ownership"): the entrypoint marks
#   the mounted workspace safe before running prodgate.
# - ENTRYPOINT is absolute; no WORKDIR is relied upon (the runner sets the working directory to
#   the workspace). With no arguments, prodgate reads the mode and the flags from the inputs
#   (INPUT_MODE, INPUT_SERVICE, ... — hyphenated names such as INPUT_GITHUB-TOKEN included).
FROM python:3.11.10-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md LICENSE /opt/prodgate/
COPY gate /opt/prodgate/gate
# the live extra: the read-only providers (boto3, dnspython) and data.grants' PostgreSQL driver
RUN pip install '/opt/prodgate[live]' && rm -rf /opt/prodgate

COPY docker-entrypoint.sh /usr/local/bin/prodgate-entrypoint
RUN chmod 0755 /usr/local/bin/prodgate-entrypoint

ENTRYPOINT ["/usr/local/bin/prodgate-entrypoint"]
