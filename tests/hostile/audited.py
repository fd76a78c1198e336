"""``python tests/hostile/audited.py LOG -m gate ARGS``: run the gate with an audit hook that logs
every path the process opens (``open``/``os.open`` audit events), one per line, so that the
hostile tests can prove that no file outside the workspace was opened (not only not echoed)."""

from __future__ import annotations

import os
import runpy
import sys


def main() -> None:
    log = open(sys.argv[1], "a", encoding="utf-8", errors="surrogateescape")  # noqa: SIM115

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            log.write(os.fsdecode(args[0]).replace("\n", "\\n") + "\n")
            log.flush()

    sys.addaudithook(hook)
    assert sys.argv[2] == "-m"
    module = sys.argv[3]
    sys.argv = [module, *sys.argv[4:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
