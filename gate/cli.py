"""The command line: ``prodgate check|pr|promote|catalog|refresh|routes|explain``. It parses the
arguments and dispatches to the mode (:mod:`gate.modes`); what the modes share (``--now``, the
repository root, the outputs) is :mod:`gate.options`.

Exit codes: 0 nothing blocks, 1 something blocks, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from gate import UsageError, __version__
from gate.safeio import install, plain


def _common(p: argparse.ArgumentParser, strict: bool = True, paths: bool = True) -> None:
    p.add_argument("--format", action="append", metavar="FMT", help="text, json, markdown, sarif (repeatable or comma-separated)")
    p.add_argument("--output", action="append", metavar="FILE", help="write the n-th format to FILE (repeatable)")
    p.add_argument("--out-dir", metavar="DIR", help="write the report in every --format as DIR/report.<ext> "
                   "(report.txt, report.json, report.md, report.sarif); formats given an --output go there instead")
    p.add_argument("--only", metavar="ID,...", help="evaluate only these item ids; the text and Markdown reports leave "
                   "the others out, the JSON report marks them skip, \"not selected\"")
    p.add_argument("--verbose", action="store_true", help="text report: print every message whole (they are cut at "
                   "about 140 characters otherwise)")
    if strict:
        p.add_argument("--strict", action="store_true", help="unverified items block too (exit 1)")
    else:  # always strict; accepted (and ignored) so that the Action's strict input stays harmless
        p.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)
        p.set_defaults(strict=True)
    p.add_argument("--now", metavar="ISO", help="the gate's clock (default: now)")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: .github/prod-readiness.yml in the repository)")
    p.add_argument("--repo", metavar="DIR", help="repository root (default: found from PATH or the current directory)"
                   if paths else "repository root (default: GITHUB_WORKSPACE in GitHub Actions, else found from the "
                   "current directory)")
    p.add_argument("--base", metavar="REF", help="base commit: what is new in this change (migrations)")
    p.add_argument("--offline", action="store_true", help="no live provider is called")


#: what every sub-command's help ends with
_EXIT = ("exit codes:\n"
         "  0  nothing blocks\n"
         "  1  something blocks (an item fail, pending or manual{unverified})\n"
         "  2  usage or configuration error, or no service found{pr}")
_ENV_LOCAL = ("  NO_COLOR                 no colour in the text report\n"
              "  provider variables       the variables that .github/prod-readiness.yml names under providers\n"
              "                           (token_env, data.database_url_env: see docs/providers.md)")
_ENV_GITHUB = ("  GITHUB_TOKEN             the token that reads the pull request, checks and deployments\n"
               "                           (the Action's github-token input, INPUT_GITHUB-TOKEN, wins)\n"
               "  GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_EVENT_PATH, GITHUB_EVENT_NAME, GITHUB_API_URL,\n"
               "  GITHUB_SERVER_URL, GITHUB_RUN_ID, GITHUB_WORKSPACE, GITHUB_ACTIONS\n"
               "                           set by GitHub Actions\n"
               "  GITHUB_STEP_SUMMARY, GITHUB_OUTPUT  the job summary and step outputs written\n"
               "  INPUT_*                  the Action's inputs (mode, config, strict, sarif-file, ...)\n"
               "  PRODGATE_REPORT_DIR      where report.json/report.md go (default prodgate-report)")


def _epilog(env: str, unverified: str = ", or unverified with --strict", pr: str = "") -> str:
    return _EXIT.format(unverified=unverified, pr=pr) + "\n\nenvironment variables read:\n" + env


def _sub(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_: str, description: str,
         epilog: str) -> argparse.ArgumentParser:
    import textwrap

    return sub.add_parser(name, help=help_, description=textwrap.fill(description, 96), epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _database_url(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database-url", metavar="URL",
                   help="PostgreSQL URL read (read-only) to verify data.grants live; "
                        "default: the variable named by data.database_url_env")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="prodgate", description="Production-readiness gate for platform monorepos.",
                                epilog="`prodgate COMMAND --help` says what a command does, its exit codes and the "
                                       "environment variables it reads.")
    p.add_argument("--version", action="version", version=f"prodgate {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = _sub(sub, "check", "evaluate services offline and print a report",
             "Evaluate the services under PATH against the checklist, from the repository's files (and the live "
             "providers that are configured), and print a report. GitHub evidence is not read: those items are "
             "unverified, and `prodgate promote` judges them.",
             _epilog(_ENV_LOCAL))
    c.add_argument("paths", nargs="*", metavar="PATH",
                   help="the repository, its services folder or service folders (default: every service of the "
                        "repository in the current directory)")
    _common(c)
    _database_url(c)
    pr = _sub(sub, "pr", "GitHub Actions: judge the pull request and post a check run",
              "In GitHub Actions, on pull_request or merge_group: find the services the pull request touches, "
              "evaluate them and the pre-promotion gate, post one check run with annotations, write the job "
              "summary and the step outputs. A pull request that touches no service passes and says so.",
              _epilog(_ENV_GITHUB + "\n" + _ENV_LOCAL, pr=" (a pull request that touches no service is exit 0)"))
    _common(pr, paths=False)
    pm = _sub(sub, "promote", "judge one service strictly before promoting it",
              "Judge one service strictly before its promotion: every item must be pass, waived, skip or warn "
              "(unverified blocks too); promotion.prod-monitor only with --after-deploy. Outside GitHub Actions, "
              "give a token in GITHUB_TOKEN to read the GitHub evidence.",
              _epilog(_ENV_GITHUB + "\n" + _ENV_LOCAL, unverified=", or unverified: always strict"))
    pm.add_argument("--service", required=True, help="service name")
    pm.add_argument("--stage", default="prod", help="target stage (default: prod)")
    pm.add_argument("--after-deploy", action="store_true", help="also judge promotion.prod-monitor")
    _common(pm, strict=False, paths=False)
    _database_url(pm)
    ca = _sub(sub, "catalog", "write catalog.json, badges and index.html",
              "Evaluate every service and write the catalog into --out: catalog.json, badges/<name>.svg and "
              "badges/<name>.json (prod-ready ✓ proven, ✗ fails, ? not proven here), index.html. It reports "
              "readiness and never blocks: exit 0 once written.",
              "exit codes:\n  0  the catalog was written, whatever the services' readiness\n"
              "  2  usage or configuration error, or no service found (nothing is written)\n\n"
              "environment variables read:\n" + _ENV_LOCAL + "\n"
              "  GITHUB_ACTIONS, GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA\n"
              "                           in GitHub Actions with a token: the GitHub evidence (deployments, checks)")
    ca.add_argument("paths", nargs="*", metavar="PATH",
                    help="the repository, its services folder or service folders (default: every service of the "
                         "repository in the current directory; with service folders, only their badges are written)")
    ca.add_argument("--out", metavar="DIR", default="catalog", help="output folder (default: catalog)")
    _common(ca)
    from gate.modes.refresh_args import add_parser as add_refresh

    add_refresh(sub)
    ex = _sub(sub, "explain", "print an item's documentation",
              "Print the documentation of a check item: what it checks, where the evidence comes from, how to "
              "fix it and how to waive it.",
              "exit codes:\n  0  printed\n  2  unknown item id\n\nenvironment variables read: none")
    ex.add_argument("id", nargs="?", metavar="ID", help="an item id, e.g. sdk.generated")
    ex.add_argument("--list", action="store_true", help="list every item id with its checklist line")
    from gate.modes.routes import add_parser as add_routes

    add_routes(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    with install():  # stdout and stderr carry repository text: no workflow command gets through
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    from_inputs = False
    if argv is None and len(sys.argv) <= 1 and "INPUT_MODE" in os.environ:
        # the Docker action's entrypoint: the subcommand and flags come from the inputs
        try:
            from gate.modes.pr.event import argv_from_inputs
            from gate.modes.refresh_args import argv_from_inputs as refresh_argv

            argv = refresh_argv() if os.environ.get("INPUT_MODE") == "refresh" else argv_from_inputs()
        except UsageError as exc:
            print(f"prodgate: {plain(str(exc))}", file=sys.stderr)
            return 2
        from_inputs = True
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    if not args.command:
        print("prodgate: no command given: choose check, pr, promote, catalog or explain", file=sys.stderr)
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "explain":
            from gate.modes.explain import run_explain

            return run_explain(args)
        if args.command == "routes":
            from gate.modes.routes import run_routes

            return run_routes(args)
        if args.command == "check" and not from_inputs:
            from gate.modes.check import run_check

            return run_check(args)
        if args.command == "refresh":
            from gate.modes.refresh import run_refresh

            return run_refresh(args)
        if args.command in ("pr", "promote", "check"):
            from gate.modes.pr import run_action

            return run_action(args)
        from gate.modes.catalog import run_catalog

        return run_catalog(args)
    except UsageError as exc:
        print(f"prodgate: {plain(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
