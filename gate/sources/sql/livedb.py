"""Live evidence for ``data.grants``: the privileges a real PostgreSQL database grants.

The connection is read-only by construction: ``default_transaction_read_only=on``, a short
``statement_timeout`` and ``lock_timeout``, a ``connect_timeout``, and only catalog reads.
The privileges are read for every role that is not a superuser (superusers bypass privileges, and
``pg_*`` predefined roles are reported through their members), effective privileges included:
``has_table_privilege`` / ``has_any_column_privilege`` follow role membership (with INHERIT), so a
role that is a member of a role holding UPDATE holds it too; a member that does not inherit
(``NOINHERIT``) but may ``SET ROLE`` to such a role (``pg_has_role(..., 'MEMBER')``) is reported
as well. The table owner is left out (owning a
table implies every privilege on it; a role that is a *member* of the owner is reported). Grants
to ``PUBLIC`` are read from the table's ACL (``aclexplode``), which every role can read, instead
of ``information_schema.role_table_grants``, which only shows grants that involve the connected
user's own roles.

Where the URL comes from (:func:`database_url`): ``run.providers["database_url"]`` (the CLI's
``--database-url``; an attribute ``database_url`` when ``run.providers`` is an object), else the
environment variable named by ``data.database_url_env`` in the configuration;
``run.providers["offline"]`` (``--offline``) turns live reading off.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 5000
#: session settings of the live connection: read-only, short timeouts
OPTIONS = (f"-c default_transaction_read_only=on -c statement_timeout={STATEMENT_TIMEOUT_MS} "
           "-c lock_timeout=1000 -c idle_in_transaction_session_timeout=10000")


class LiveError(Exception):
    """The database could not be read: the message is the reason (no password in it)."""


@dataclass(frozen=True)
class LiveGrant:
    """A privilege a role holds on a table, read from the database."""

    schema: str
    table: str
    role: str  # role name, or "PUBLIC"
    privilege: str
    via: str = ""  # the roles it comes through (membership), empty when granted directly


@dataclass(frozen=True)
class LiveTable:
    schema: str
    table: str
    owner: str


@dataclass(frozen=True)
class LiveSnapshot:
    server_version: str
    tables: tuple[LiveTable, ...]
    grants: tuple[LiveGrant, ...]
    roles: int  # non-superuser roles examined


def database_url(providers: Any, env_name: str | None) -> tuple[str | None, str]:
    """(URL, where it came from) from ``--database-url`` / ``--offline`` (``providers``) and the
    variable ``data.database_url_env`` names (``env_name``) — URL None when live reading is not
    configured or is off; the second value then says why when something was configured ("" when
    nothing was)."""
    if isinstance(providers, Mapping):
        url, offline = providers.get("database_url"), providers.get("offline")
    else:  # a providers object: the same names as attributes
        url, offline = getattr(providers, "database_url", None), getattr(providers, "offline", False)
    if offline:
        return None, "--offline: the live database was not read" if (url or env_name) else ""
    if isinstance(url, str) and url:
        return url, "--database-url"
    if isinstance(env_name, str) and env_name:
        value = os.environ.get(env_name)
        if value:
            return value, f"${env_name} (data.database_url_env)"
        return None, f"data.database_url_env names {env_name}, which is not set here"
    return None, ""


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


_TABLES = """
SELECT c.oid, n.nspname, c.relname, pg_get_userbyid(c.relowner)
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%%'
  AND (lower(c.relname) = ANY(%(names)s) OR lower(c.relname) LIKE ANY(%(patterns)s))
ORDER BY n.nspname, c.relname
"""

_EFFECTIVE = """
WITH holders AS (
  SELECT a.grantee, a.privilege_type
  FROM pg_catalog.pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
  WHERE c.oid = %(oid)s AND a.grantee <> 0
  UNION
  SELECT a.grantee, a.privilege_type
  FROM pg_catalog.pg_attribute att, aclexplode(att.attacl) a
  WHERE att.attrelid = %(oid)s AND a.grantee <> 0
)
SELECT r.rolname, p.priv,
       EXISTS (SELECT 1 FROM holders h WHERE h.grantee = r.oid AND h.privilege_type = p.priv) AS direct,
       (SELECT string_agg(DISTINCT pg_get_userbyid(h.grantee), ', ') FROM holders h
         WHERE h.privilege_type = p.priv AND h.grantee <> r.oid
           AND pg_has_role(r.oid, h.grantee, 'MEMBER')) AS via
FROM pg_catalog.pg_class c
CROSS JOIN pg_catalog.pg_roles r
CROSS JOIN unnest(%(privs)s::text[]) AS p(priv)
WHERE c.oid = %(oid)s AND NOT r.rolsuper AND r.rolname NOT LIKE 'pg\\_%%' AND r.oid <> c.relowner
  AND (CASE WHEN p.priv IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
            THEN has_any_column_privilege(r.oid, c.oid, p.priv)
            ELSE has_table_privilege(r.oid, c.oid, p.priv) END
       OR EXISTS (SELECT 1 FROM holders h WHERE h.privilege_type = p.priv AND h.grantee <> r.oid
                  AND pg_has_role(r.oid, h.grantee, 'MEMBER')))
ORDER BY r.rolname, p.priv
"""

_PUBLIC = """
SELECT DISTINCT a.privilege_type FROM pg_catalog.pg_class c, aclexplode(c.relacl) a
WHERE c.oid = %(oid)s AND a.grantee = 0
UNION
SELECT DISTINCT a.privilege_type FROM pg_catalog.pg_attribute att, aclexplode(att.attacl) a
WHERE att.attrelid = %(oid)s AND a.grantee = 0
"""


def read_grants(url: str, names: list[str], patterns: list[str]) -> LiveSnapshot:
    """The privileges held on the tables named ``names`` or matching the LIKE ``patterns``."""
    try:
        import psycopg
    except ImportError:
        raise LiveError("psycopg is not installed (pip install 'prodgate[live]')") from None
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, options=OPTIONS,
                             application_name="prodgate", autocommit=True) as conn:
            version = conn.info.server_version
            privs = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
            if version >= 170000:
                privs.append("MAINTAIN")
            tables: list[LiveTable] = []
            grants: list[LiveGrant] = []
            for oid, schema, table, owner in conn.execute(_TABLES, {"names": names, "patterns": patterns}).fetchall():
                tables.append(LiveTable(schema, table, owner))
                public = {str(r[0]) for r in conn.execute(_PUBLIC, {"oid": oid}).fetchall()}
                for p in sorted(public):
                    grants.append(LiveGrant(schema, table, "PUBLIC", p))
                for role, priv, direct, via in conn.execute(_EFFECTIVE, {"oid": oid, "privs": privs}).fetchall():
                    if not direct and not via and priv in public:
                        continue  # only through PUBLIC: reported once, as PUBLIC
                    grants.append(LiveGrant(schema, table, role, priv, "" if direct else (via or "")))
            row = conn.execute("SELECT count(*) FROM pg_catalog.pg_roles WHERE NOT rolsuper "
                               "AND rolname NOT LIKE 'pg\\_%%'").fetchone()
            n_roles = int(row[0]) if row else 0
            return LiveSnapshot(str(version), tuple(tables), tuple(grants), n_roles)
    except psycopg.Error as exc:
        msg = " ".join(str(exc).split()) or type(exc).__name__
        raise LiveError(redact(msg)) from None
