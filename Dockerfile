# prodgate as a Docker container action.
#
# - The base image is a build argument whose default is the official Python image, pinned by
#   version (Python 3.11 on Debian bookworm, slim). Any image with Python 3.11 (and pip) in
#   /usr/local/bin, bash and Debian's apt works: the container test builds one from Debian
#   packages where no image registry is reachable (tests/container/).
# - Reproducible: the dependencies are installed from requirements.lock (exact versions, each
#   with its sha256: pip --require-hashes), then prodgate itself without resolving anything.
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
ARG BASE_IMAGE=python:3.11.10-slim-bookworm
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates bash \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.lock /opt/prodgate/requirements.lock
RUN pip install --require-hashes --no-deps -r /opt/prodgate/requirements.lock
COPY pyproject.toml README.md LICENSE /opt/prodgate/
COPY gate /opt/prodgate/gate
# the item docs `prodgate explain ID` prints (gate/checkdocs links to docs/checks)
COPY docs/checks /opt/prodgate/docs/checks
# every dependency is installed above (the live extra included: the read-only providers and
# data.grants' PostgreSQL driver); `pip check` proves none is missing or at another version
RUN pip install --no-deps --no-build-isolation /opt/prodgate && pip check && rm -rf /opt/prodgate

COPY docker-entrypoint.sh /usr/local/bin/prodgate-entrypoint
RUN chmod 0755 /usr/local/bin/prodgate-entrypoint

ENTRYPOINT ["/usr/local/bin/prodgate-entrypoint"]
