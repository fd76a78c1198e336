"""Who an on-call key names (``on_call.primary``, ``on_call.secondary``): a GitHub login, written
with or without a leading ``@``, compared case-insensitively (GitHub logins are). A placeholder
(``TBD``, ``none``, ``someone``…) names nobody."""

from __future__ import annotations

import re

#: a GitHub login: letters, digits and single inner hyphens, at most 39 characters
LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
#: values that hold the place of a person without naming one (compared lower-cased, ``@`` dropped)
PLACEHOLDERS = frozenset({
    "tbd", "tba", "tbc", "todo", "fixme", "xxx", "none", "nobody", "noone", "no-one", "unassigned", "unknown",
    "someone", "somebody", "anyone", "anybody", "na", "n-a", "null", "nil", "changeme", "change-me",
    "placeholder", "pending", "vacant", "owner", "user", "username", "login", "github-login", "your-login",
})


def login(value: str) -> str:
    """``value`` as a login: trimmed, without a leading ``@``, lower-cased."""
    v = value.strip()
    return (v[1:] if v.startswith("@") else v).strip().lower()


def problem(value: str) -> str | None:
    """Why ``value`` names no person (None when it is a GitHub login)."""
    who = login(value)
    if who in PLACEHOLDERS:
        return f"{value.strip()!r} is a placeholder, not a person"
    if not LOGIN.match(who):
        return f"{value.strip()!r} is not a GitHub login (letters, digits and hyphens, e.g. alice)"
    return None
