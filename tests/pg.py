"""A real PostgreSQL server for tests: Debian's binaries, a temp directory, a free loopback port.

``start()`` runs ``initdb`` and ``postgres`` (as the unprivileged ``postgres`` user, or
``nobody``, when the tests run as root, since PostgreSQL refuses to run as root) and returns a
:class:`Server`; ``Server.stop()`` shuts it down and removes the directory. When the binaries are
absent the caller fails under CI (env ``CI`` set) and skips otherwise: CI installs the Debian
package ``postgresql`` (scripts/test.sh).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

SUPERUSER = "postgres"


def bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and postgres."""
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        if os.access(os.path.join(d, "initdb"), os.X_OK) and os.access(os.path.join(d, "postgres"), os.X_OK):
            try:
                found.append((int(Path(d).parent.name.split(".")[0]), Path(d)))
            except ValueError:
                continue
    return max(found)[1] if found else None


def require_bindir() -> Path:
    d = bindir()
    if d is None:
        msg = ("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
               "(apt-get install postgresql)")
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return d


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _runas() -> tuple[list[str], int | None, int | None]:
    """Command prefix and uid/gid for running the server unprivileged."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            continue
        return ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups", "--"], pw.pw_uid, pw.pw_gid
    pytest.fail("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as")


@dataclass
class Server:
    port: int
    dir: Path
    proc: subprocess.Popen[bytes]
    log: IO[bytes] | None = None

    def url(self, user: str = SUPERUSER, dbname: str = "postgres", password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.log is not None:
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def start() -> Server:
    bins = require_bindir()
    prefix, uid, gid = _runas()
    tmp = Path(tempfile.mkdtemp(prefix="prodgate-pg-"))
    data = tmp / "data"
    data.mkdir()
    if uid is not None and gid is not None:
        for p in (tmp, data):
            os.chown(p, uid, gid)
    os.chmod(tmp, 0o755)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": str(tmp)}
    init = subprocess.run([*prefix, str(bins / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
                           "--no-sync", "-E", "UTF8"], capture_output=True, env=env, timeout=120, check=False)
    if init.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"initdb failed: {init.stderr.decode(errors='replace')[-2000:]}")
    port = _free_port()
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed by Server.stop()
    proc = subprocess.Popen(
        [*prefix, str(bins / "postgres"), "-D", str(data), "-p", str(port), "-k", str(tmp),
         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
         "-c", "synchronous_commit=off", "-c", "max_connections=20", "-c", "shared_buffers=16MB"],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    server = Server(port, tmp, proc, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pass
            import psycopg

            with psycopg.connect(server.url(), connect_timeout=2):
                return server
        except Exception:
            time.sleep(0.2)
    text = (tmp / "server.log").read_text(errors="replace")[-2000:]
    server.stop()
    pytest.fail(f"PostgreSQL did not start on port {port}: {text}")
