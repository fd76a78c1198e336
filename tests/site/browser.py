"""Real headless Chromium for the catalog page tests (Debian's ``chromium``), no Playwright.

Two ways in:

- :func:`dump_dom` / :func:`screenshot`: Chromium's own ``--dump-dom`` / ``--screenshot``
  switches on a ``file://`` URL (the page's script applies the filter in the URL hash first);
- :class:`DevTools`: the Chrome DevTools protocol over ``--remote-debugging-pipe`` (file
  descriptors 3 and 4, NUL-terminated JSON messages) to evaluate expressions in the page and
  send real key presses.

:func:`require` skips the calling test when Chromium is absent, and fails it when ``CI`` is set.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)
TIMEOUT = 60.0


def find() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def require() -> str:
    exe = find()
    if exe is None:
        msg = "Chromium is not installed (Debian package `chromium`): the catalog page is not tested in a browser"
        if os.environ.get("CI"):
            pytest.fail(msg + " — CI must install it (.ci/run)")
        pytest.skip(msg)
    return exe


def _run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    exe = require()
    with tempfile.TemporaryDirectory(prefix="prodgate-chromium-") as profile:
        return subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )


def dump_dom(url: str) -> str:
    """The serialized DOM of ``url`` after its scripts ran."""
    proc = _run(["--virtual-time-budget=2000", "--dump-dom", url])
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return proc.stdout.decode("utf-8")


def screenshot(url: str, png: Path, size: str = "1200,1400") -> bytes:
    proc = _run([f"--window-size={size}", f"--screenshot={png}", "--virtual-time-budget=2000", url])
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return png.read_bytes()


class DevTools:
    """A minimal DevTools-protocol client over ``--remote-debugging-pipe``: one page target."""

    def __init__(self) -> None:
        exe = require()
        self._profile = tempfile.TemporaryDirectory(prefix="prodgate-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # in the child: commands on fd 3, answers on fd 4
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={self._profile.name}", "--remote-debugging-pipe",
             "--window-size=1200,900", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,
            pass_fds=(3, 4),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)[
            "sessionId"
        ]
        self.call("Page.enable")
        self.call("Runtime.enable")

    # -- transport ----------------------------------------------------------------------------
    def _send(self, msg: dict[str, Any]) -> None:
        data = json.dumps(msg).encode("utf-8") + b"\0"
        while data:
            n = os.write(self._to_child, data)
            data = data[n:]

    def _recv(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        msg: dict[str, Any] = json.loads(raw)
        return msg

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True) -> dict[str, Any]:
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self._send(msg)
        deadline = time.monotonic() + TIMEOUT
        while True:
            got = self._recv(deadline)
            if got.get("id") == self._next:
                if "error" in got:
                    raise RuntimeError(f"{method}: {got['error']}")
                result: dict[str, Any] = got.get("result", {})
                return result
            if "method" in got:
                self.events.append(got)

    def wait_event(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for n, ev in enumerate(self.events):
                if ev["method"] == method:
                    del self.events[n]
                    return ev
            got = self._recv(deadline)
            if "method" in got:
                self.events.append(got)

    # -- page ---------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        """Load ``url`` afresh (by way of about:blank: a new hash alone would not reload)."""
        for target in ("about:blank", url):
            self.events.clear()
            self.call("Page.navigate", {"url": target})
            self.wait_event("Page.loadEventFired")

    def eval(self, expression: str) -> Any:
        res = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def key(self, key: str, code: str, keycode: int, text: str = "") -> None:
        """One real key press (down, up) at the focused element."""
        down: dict[str, Any] = {"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": keycode}
        if text:
            down["text"] = text
        self.call("Input.dispatchKeyEvent", down)
        self.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": keycode})

    def tab(self) -> None:
        self.key("Tab", "Tab", 9)

    def arrow_down(self) -> None:
        self.key("ArrowDown", "ArrowDown", 40)

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.call("Browser.close", session=False)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
