"""GitHub Packages (REST, read-only): ``sdk.package``, the version of
``packages/sdk-<name>/package.json`` is published.

``GET /orgs/{org}/packages/npm/{package_name}/versions`` (the versions of an organisation's npm
package, newest first, 100 a page) and look for the version's ``name``. The token (``read:packages``;
the Action's ``GITHUB_TOKEN`` with ``packages: read``) comes from the environment variable named by
``token_env``.
"""

from __future__ import annotations

import urllib.parse
from functools import partial

from gate.providers.base import ProviderError, Settings, http_request, with_retry

DEFAULT_API = "https://api.github.com"
MAX_PAGES = 10


def _hint(status: int) -> str:
    if status == 401:
        return " (the token is not valid)"
    if status == 403:
        return " (the token may not read packages: it needs read:packages, or packages: read in the workflow)"
    return ""


def published(api_url: str, org: str, package: str, version: str, token: str, settings: Settings,
              ca_bundle: str | None = None) -> tuple[bool, str]:
    """(is ``version`` of npm package ``package`` of ``org`` published, what was seen)."""
    base = api_url.rstrip("/")
    path = (f"/orgs/{urllib.parse.quote(org, safe='')}/packages/npm/"
            f"{urllib.parse.quote(package, safe='')}/versions")
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
               "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "prodgate"}
    seen: list[str] = []
    for page in range(1, MAX_PAGES + 1):
        url = f"{base}{path}?per_page=100&page={page}&state=active"
        ans = with_retry(partial(http_request, "GitHub Packages", url, settings, headers, ca_bundle), settings)
        if ans.status == 404:
            return False, f"npm package {package} is not published in the {org} organisation's GitHub Packages"
        if ans.status != 200:
            raise ProviderError(f"GitHub Packages answered {ans.status}{_hint(ans.status)}", status=ans.status)
        data = ans.json("GitHub Packages")
        if not isinstance(data, list):
            raise ProviderError("GitHub Packages answered with something that is not a list of versions")
        for v in data:
            name = str((v or {}).get("name") or "")
            if name == version:
                return True, f"@{org}/{package}@{version} is published in GitHub Packages"
            seen.append(name)
        if len(data) < 100:
            break
    latest = f" (published: {', '.join(seen[:5])}{'…' if len(seen) > 5 else ''})" if seen else " (no version published)"
    return False, f"@{org}/{package}@{version} is not published in GitHub Packages{latest}"
