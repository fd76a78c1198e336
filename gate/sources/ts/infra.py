"""Static evaluation of a service's ``infra.ts`` (SST v3) and of the repository's ``sst.config.ts``.

Nothing is executed. ``infra.ts`` is parsed once (``ws.typescript``) and its literal parts are
evaluated with :func:`gate.sources.ts.parse.evaluate` once per stage (``dev``, ``staging``,
``prod``) with ``$app.stage`` bound to that stage, so "what is the scaling / hostname / health
path in staging" has an answer of its own: a value, :class:`~gate.sources.ts.parse.Missing`
(the property is surely absent: "scaling has no value for staging") or
:class:`~gate.sources.ts.parse.Unknown` (a call, an import from another file: reported as
such, never guessed).

:func:`model` (computed once per service with ``ws.derive``) gives the
``new sst.aws.Service(...)`` constructions, the declared secrets (``new sst.Secret("X")``), the
linked resources per stage (``link: [...]``), the ``alarms(...)`` calls and
``new aws.cloudwatch.MetricAlarm`` resources; :func:`sst_config` (once per run) gives the
``./services/<name>/infra`` imports of ``sst.config.ts``, live and commented out.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tree_sitter import Node

from gate.model import Finding
from gate.sources.ts import parse as ts

if TYPE_CHECKING:
    from gate.config import Config
    from gate.workspace import Workspace

STAGES: tuple[str, ...] = ("dev", "staging", "prod")
SERVICE_CTOR = "sst.aws.Service"
SECRET_CTOR = "sst.Secret"
DNS_ADAPTER = "sst.cloudflare.dns"
METRIC_ALARM = "aws.cloudwatch.MetricAlarm"
SST_CONFIG = "sst.config.ts"
UNVERIFIABLE = "cannot be verified statically"


@dataclass(frozen=True)
class Prop:
    """A property of the service's options in one stage: its value, and the line of the
    property in infra.ts (the nearest enclosing property's line when it is missing)."""

    value: Any
    line: int
    #: for a value missing from a known object other than the property's own parent (a stage
    #: absent from a per-stage map), the line of that object, where the key would go
    map_line: int | None = None

    def add_to_map(self) -> str:
        """": add the missing stage to the map at line N" when the value is missing from a map
        of another line, else ""."""
        return f"; add the missing stage to the map at line {self.map_line}" if self.map_line else ""


@dataclass
class Infra:
    service_dir: str
    path: str  # repo-relative infra.ts
    file: ts.TsFile | None  # None when infra.ts does not exist
    errors: list[Finding] = field(default_factory=list)
    services: list[Node] = field(default_factory=list)  # new sst.aws.Service(...)
    secrets: dict[str, Node] = field(default_factory=dict)  # declared secret name -> new sst.Secret
    unnamed_secrets: list[Node] = field(default_factory=list)  # new sst.Secret(<not a string>)
    #: secrets declared with a placeholder value (``new sst.Secret("X", "placeholder")``): name -> line
    placeholders: dict[str, int] = field(default_factory=dict)
    alarm_calls: list[Node] = field(default_factory=list)  # alarms(...)
    #: per alarms(...) call and MetricAlarm (by start byte): the stages in which the module surely
    #: executes it, and why not in the others (:func:`executed_in`)
    reach: dict[int, tuple[tuple[str, ...], str | None]] = field(default_factory=dict)
    metric_alarms: list[Node] = field(default_factory=list)  # new aws.cloudwatch.MetricAlarm(...)
    #: per stage: the evaluated options of the (first) service, and the env used
    options: dict[str, Any] = field(default_factory=dict)
    envs: dict[str, ts.Env] = field(default_factory=dict)

    @property
    def service(self) -> Node | None:
        return self.services[0] if self.services else None

    @property
    def service_line(self) -> int | None:
        return ts.line_of(self.services[0]) if self.services else None

    def finding(self, message: str, line: int | None) -> Finding:
        return Finding(message, self.path, line, line)

    def prop(self, stage: str, *keys: str) -> Prop:
        """The value of ``options.<keys>`` in ``stage``. The line is that of the deepest
        property found on the way (the service construction when none is), as the conventions
        say; for a value missing from another known object (``scaling[$app.stage]`` with no
        ``staging`` key in the ``scaling`` map), ``map_line`` is that object's line."""
        cur: Any = self.options.get(stage, ts.Missing("no service"))
        line = self.service_line or 1
        label = "the service options"
        for k in keys:
            if isinstance(cur, ts.Obj):
                if k in cur.at:
                    line = ts.line_of(cur.at[k])
                cur = cur.lookup(k, label)
                label = k
            elif isinstance(cur, (ts.Unknown, ts.Missing)):
                break
            else:
                return Prop(ts.Missing(f"{label} is not an object"), line)
        if isinstance(cur, ts.Missing) and cur.node is not None and ts.line_of(cur.node) != line:
            parent = self.options.get(stage)
            for k in keys[:-1]:
                parent = parent.get(k) if isinstance(parent, ts.Obj) else None
            if not (isinstance(parent, ts.Obj) and parent.node == cur.node):
                return Prop(cur, line, ts.line_of(cur.node))
        return Prop(cur, line)

    def runs_in(self, node: Node, stage: str) -> bool:
        """infra.ts surely executes ``node`` (an alarms(...) call, a MetricAlarm) in ``stage``."""
        return stage in self.reach.get(node.start_byte, (STAGES, None))[0]

    def unreached(self, nodes: list[Node], what: str) -> list[Finding]:
        """For the stages in which none of ``nodes`` surely runs: one finding at each node that
        does not run in every stage, saying why."""
        missing = [s for s in STAGES if not any(self.runs_in(n, s) for n in nodes)]
        if not missing:
            return []
        out = []
        for n in nodes:
            stages, why = self.reach.get(n.start_byte, (STAGES, None))
            if len(stages) == len(STAGES):
                continue
            runs = f"only in {stages_text(list(stages))}" if stages else "in no stage for sure"
            line = ts.line_of(n)
            out.append(self.finding(f"{what} at line {line} is {why}: infra.ts runs it {runs}, so "
                                    f"{stages_text(missing)} {'has' if len(missing) == 1 else 'have'} no alarms; "
                                    "define it unconditionally at the top level of infra.ts", line))
        return out

    def evaluate(self, stage: str, node: Node) -> Any:
        assert self.file is not None
        return ts.evaluate(self.file, node, self.envs[stage])

    def linked(self, stage: str) -> Linked:
        """What ``link`` holds in ``stage``: the names of linked resources constructed in this
        file (``new sst.Secret("X")``, ``new sst.aws.Bucket("X")`` ...) and what could not be
        evaluated."""
        p = self.prop(stage, "link")
        out = Linked(p.line, isinstance(p.value, ts.Missing))
        v = p.value
        if isinstance(v, ts.Arr):
            for el in v:
                name = construct_name(el)
                if name is not None:
                    out.names.add(name)
                    if isinstance(el, ts.Opaque) and el.callee == SECRET_CTOR:
                        out.secrets.add(name)
                elif isinstance(el, ts.Unknown):
                    out.unknown.append(el.why)
            out.unknown.extend(u.why for u in v.opaque)
        elif isinstance(v, ts.Unknown):
            out.unknown.append(v.why)
        return out


@dataclass
class Linked:
    line: int
    missing: bool  # no link property at all
    names: set[str] = field(default_factory=set)
    secrets: set[str] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)


def construct_name(v: Any) -> str | None:
    """``X`` for an evaluated ``new <ctor>("X", ...)``."""
    if isinstance(v, ts.Opaque) and v.is_new:
        return v.name
    return None


def ctor_of(f: ts.TsFile, node: Node) -> str | None:
    """The dotted constructor / callee of a ``new`` / call expression."""
    fn = node.child_by_field_name("constructor" if node.type == "new_expression" else "function")
    return ts.dotted_name(f, fn) if fn is not None else None


def model(ws: Workspace, config: Config, service_dir: str) -> Infra:
    """The service's infra.ts, evaluated per stage (computed once per service)."""
    alarms_helper = config.helpers.alarms
    return ws.derive("infra", service_dir, lambda: analyse(ws, service_dir, alarms_helper))


def analyse(ws: Workspace, service_dir: str, alarms_helper: str = "alarms") -> Infra:
    path = f"{service_dir}/infra.ts"
    f = ws.typescript(path)
    model = Infra(service_dir, path, f)
    if f is None:
        return model
    err = f.error
    if err is not None:
        model.errors.append(model.finding(f"infra.ts:{err.line}:{err.column}: {err.message}; fix it so the "
                                          "file can be judged", err.line))
    for n in ts.walk(f.root):
        if n.type == "new_expression":
            ctor = ctor_of(f, n)
            if ctor == SERVICE_CTOR:
                model.services.append(n)
            elif ctor == SECRET_CTOR:
                args = _args(n)
                name = ts.string_value(f, args[0]) if args else None
                if name is None:
                    model.unnamed_secrets.append(n)
                else:
                    model.secrets.setdefault(name, n)
                    if len(args) >= 2:
                        model.placeholders.setdefault(name, ts.line_of(n))
            elif ctor == METRIC_ALARM:
                model.metric_alarms.append(n)
        elif n.type == "call_expression" and ctor_of(f, n) == alarms_helper:
            model.alarm_calls.append(n)
    base = ts.module_env(f)
    for n in [*model.alarm_calls, *model.metric_alarms]:
        model.reach[n.start_byte] = executed_in(f, n, [], base)
    for stage in STAGES:
        env = base.with_globals(**{"$app.stage": stage})
        model.envs[stage] = env
        svc = model.service
        if svc is None:
            continue
        args = _args(svc)
        stages, why = model.reach.setdefault(svc.start_byte, executed_in(f, svc, [], base))
        if stage not in stages:
            model.options[stage] = ts.Unknown(f"not surely constructed in {stage}: new sst.aws.Service(...) at line "
                                              f"{ts.line_of(svc)} is {why}")
            continue
        model.options[stage] = (ts.evaluate(f, args[1], env) if len(args) >= 2
                                else ts.Missing("new sst.aws.Service(...) has no options"))
    return model


def _args(node: Node) -> list[Node]:
    a = node.child_by_field_name("arguments")
    return [c for c in a.named_children if c.type != "comment"] if a is not None else []


# -- reporting per stage ----------------------------------------------------------------------
def stages_text(stages: list[str]) -> str:
    if len(stages) == 1:
        return stages[0]
    return ", ".join(stages[:-1]) + " and " + stages[-1]


class StageFindings:
    """Collects per-stage problems and reports each once: a problem found in every stage is
    reported without a stage, one found in some stages names them (``{where}`` in the template
    becomes " for staging", " for dev and staging", or nothing)."""

    def __init__(self, infra: Infra) -> None:
        self.infra = infra
        self._seen: dict[tuple[str, int], list[str]] = {}

    def add(self, stage: str, template: str, line: int) -> None:
        self._seen.setdefault((template, line), [])
        if stage not in self._seen[(template, line)]:
            self._seen[(template, line)].append(stage)

    def findings(self) -> list[Finding]:
        out = []
        for (template, line), stages in self._seen.items():
            where = "" if len(stages) == len(STAGES) else f" for {stages_text(stages)}"
            out.append(self.infra.finding(template.replace("{where}", where), line))
        out.sort(key=lambda x: x.line or 0)
        return out


def unknown_text(prop: str, v: ts.Unknown) -> str:
    return f"{prop} is {v.why}{{where}}; {UNVERIFIABLE}"


def describe(v: Any) -> str:
    """A short rendering of an evaluated value for messages."""
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, ts.Missing):
        return "undefined"
    if isinstance(v, ts.Unknown):
        return v.why
    if isinstance(v, ts.Obj):
        return "{" + ", ".join(f"{k}: {describe(x)}" for k, x in v.items()) + "}"
    if isinstance(v, ts.Arr):
        return "[" + ", ".join(describe(x) for x in v) + "]"
    return ts._to_str(v)


def missing_infra(infra: Infra) -> Finding:
    return Finding("infra.ts is missing: add it at the service root with one new sst.aws.Service(...) "
                   "(see the conventions' infra.ts)", infra.path)


def no_service(infra: Infra) -> Finding:
    return infra.finding("infra.ts constructs no new sst.aws.Service(...): declare the service with its "
                         "hostname, scaling per stage and health check", 1)


# -- sst.config.ts ----------------------------------------------------------------------------
@dataclass(frozen=True)
class InfraImport:
    service: str
    line: int
    in_run: bool  # inside run() (dynamic) or a static top-level import
    how: str  # "static" | "dynamic"
    #: the stages in which run() surely executes the import (all three for a static import or
    #: an import on run()'s straight path)
    stages: tuple[str, ...] = STAGES
    #: why the import is not surely executed in the other stages ("inside if ($app.stage !==
    #: "prod") at line 10", "inside a function declared at line 12 that run() may never call")
    unsure: str | None = None


@dataclass
class SstConfig:
    path: str
    exists: bool
    errors: list[Finding] = field(default_factory=list)
    run_line: int | None = None  # line of run()
    imports: list[InfraImport] = field(default_factory=list)
    commented: list[InfraImport] = field(default_factory=list)
    computed: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of import(<not a string>)

    def of(self, service: str) -> list[InfraImport]:
        return [i for i in self.imports if i.service == service]


def sst_config(ws: Workspace, services_root: str) -> SstConfig:
    return ws.derive("sst-config", services_root, lambda: _sst_config(ws, services_root))


def _service_of(module: str, services_root: str) -> str | None:
    """``payments`` for ``./services/payments/infra`` (extensions ``.ts``/``.js`` allowed)."""
    m = posixpath.normpath(module)
    m = re.sub(r"\.(ts|js|mts|mjs)$", "", m)
    root = posixpath.normpath(services_root) if services_root else "."
    prefix = f"{root}/" if root != "." else ""
    if not m.startswith(prefix) or not m.endswith("/infra"):
        return None
    name = m[len(prefix) : -len("/infra")]
    return name if name and "/" not in name else None


_COMMENTED = re.compile(r"""(?:import\s{0,20}\(\s{0,20}|from\s{1,20}|import\s{1,20})["'`]([^"'`\n]{1,300})["'`]""")


def _sst_config(ws: Workspace, services_root: str) -> SstConfig:
    f = ws.typescript(SST_CONFIG)
    out = SstConfig(SST_CONFIG, f is not None)
    if f is None:
        return out
    err = f.error
    if err is not None:
        out.errors.append(Finding(f"{SST_CONFIG}:{err.line}:{err.column}: {err.message}; fix it so the file can "
                                  "be judged", SST_CONFIG, err.line, err.line))
    runs = [n for n in ts.walk(f.root) if _is_run(f, n) and _in_config(f, n)]
    out.run_line = ts.line_of(runs[0]) if runs else None
    base_env = ts.module_env(f)

    def inside_run(n: Node) -> bool:
        return any(r.start_byte <= n.start_byte and n.end_byte <= r.end_byte for r in runs)

    for n in ts.walk(f.root):
        if n.type == "import_statement":
            src = n.child_by_field_name("source")
            module = ts.string_value(f, src) if src is not None else None
            name = _service_of(module, services_root) if module else None
            if name is not None:
                out.imports.append(InfraImport(name, ts.line_of(n), True, "static"))
        elif n.type == "call_expression":
            fn = n.child_by_field_name("function")
            if fn is None or fn.type != "import":
                continue
            args = _args(n)
            if not args:
                continue
            module = ts.string_value(f, args[0])
            if module is None:
                out.computed.append((ts.line_of(n), f.text(args[0])))
                continue
            name = _service_of(module, services_root)
            if name is not None:
                in_run = inside_run(n)
                stages, unsure = executed_in(f, n, runs, base_env) if in_run else (STAGES, None)
                out.imports.append(InfraImport(name, ts.line_of(n), in_run, "dynamic", stages, unsure))
        elif n.type == "comment":
            text = f.text(n)
            for i, line in enumerate(text.split("\n")):
                for m in _COMMENTED.finditer(line):
                    name = _service_of(m.group(1), services_root)
                    if name is not None:
                        out.commented.append(InfraImport(name, ts.line_of(n) + i, False, "comment"))
    return out


def _in_config(f: ts.TsFile, n: Node) -> bool:
    """``n`` is a property of the object given to ``$config({...})`` (a ``run`` elsewhere, in
    another object of the file, is not the one SST calls)."""
    obj = n.parent
    args = obj.parent if obj is not None and obj.type == "object" else None
    call = args.parent if args is not None and args.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    return fn is not None and f.text(fn) == "$config"


_FUNCTIONS = frozenset({"function_declaration", "function_expression", "arrow_function", "method_definition",
                        "generator_function_declaration", "generator_function", "function"})
_LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
_MAX_CONDITIONS = 20


def executed_in(f: ts.TsFile, n: Node, runs: list[Node], env: ts.Env) -> tuple[tuple[str, ...], str | None]:
    """The stages in which running ``run()`` (one of ``runs``; the whole module when ``runs`` is
    empty) surely executes ``n``, and why not in the others:
    ``n`` under an ``if``/``?:``/``&&``/``||``/``??`` whose condition (evaluated with ``$app.stage``
    bound to each stage) does not select it, one that cannot be evaluated, a loop, a ``switch``
    case, a ``catch``, code after a ``return``/``throw``, or a function that run() may never
    call."""
    needs: list[tuple[Node, str, str]] = []  # (condition, "truthy" | "falsy" | "nullish", construct)
    child, parent = n, n.parent
    while parent is not None and parent not in runs:
        t = parent.type
        where = f"at line {ts.line_of(parent)}"
        if t in _FUNCTIONS:
            return (), f"inside a function declared {where} that run() may never call"
        if t in _LOOPS:
            return (), f"inside a loop {where}"
        if t in ("switch_case", "switch_default"):
            return (), f"inside a switch case {where}"
        if t == "catch_clause":
            return (), f"inside a catch block {where}"
        if t == "statement_block":
            for sib in parent.named_children:
                if sib.start_byte >= child.start_byte:
                    break
                if sib.type in ("return_statement", "throw_statement"):
                    return (), f"after the {sib.type.split('_')[0]} at line {ts.line_of(sib)}: it never runs"
        cond = parent.child_by_field_name("condition") if t in ("if_statement", "ternary_expression") else None
        if cond is not None and child != cond:
            ctext = f.text(cond)
            text = f"{ctext} ? …" if t == "ternary_expression" else (
                f"if {ctext}" if cond.type == "parenthesized_expression" else f"if ({ctext})")
            yes = parent.child_by_field_name("consequence")
            needs.append((cond, "truthy" if yes is not None and child == yes else "falsy", f"{_short(text)} {where}"))
        if t == "binary_expression":
            op = parent.child_by_field_name("operator")
            left = parent.child_by_field_name("left")
            o = f.text(op) if op is not None else ""
            if left is not None and child != left and o in ("&&", "||", "??"):
                need = {"&&": "truthy", "||": "falsy", "??": "nullish"}[o]
                needs.append((left, need, f"{_short(f.text(parent))} {where}"))
        if len(needs) > _MAX_CONDITIONS:
            return (), f"under more than {_MAX_CONDITIONS} conditions"
        child, parent = parent, parent.parent
    if not needs:
        return STAGES, None
    stages: list[str] = []
    for stage in STAGES:
        senv = env.with_globals(**{"$app.stage": stage})
        ok = True
        for cond, need, construct in needs:
            v = ts.evaluate(f, cond, senv)
            if isinstance(v, ts.Unknown):
                return (), f"under {construct}, a condition that cannot be evaluated statically ({v.why})"
            held = (isinstance(v, ts.Missing) or v is None) if need == "nullish" else (
                ts._truthy(v) if need == "truthy" else not ts._truthy(v))
            if not held:
                ok = False
        if ok:
            stages.append(stage)
    return tuple(stages), "under " + "; ".join(c for _, _, c in needs)


def _short(text: str, n: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def _is_run(f: ts.TsFile, n: Node) -> bool:
    """``run() {...}``, ``async run() {...}`` or ``run: async () => {...}`` in an object."""
    if n.type == "method_definition":
        name = n.child_by_field_name("name")
        return name is not None and f.text(name) == "run"
    if n.type == "pair":
        k = n.child_by_field_name("key")
        v = n.child_by_field_name("value")
        return (k is not None and v is not None and ts.property_key(f, k) == "run"
                and v.type in ("arrow_function", "function_expression", "function"))
    return False


def check_secret(infra: Infra, sf: StageFindings, name: str, read_at: str) -> None:
    """Add to ``sf`` what keeps ``Resource.<name>`` (read at ``read_at``) from being a secret
    declared in infra.ts and linked to the service, stage by stage."""
    declared = name in infra.secrets
    for stage in STAGES:
        linked = infra.linked(stage)
        if name in linked.names:
            continue
        if linked.unknown:
            sf.add(stage, f"secret {name} is read in {read_at}; whether link holds it{{where}} {UNVERIFIABLE} "
                          f"(link has an entry {linked.unknown[0]})", linked.line)
        elif not declared:
            sf.add(stage, f"secret {name} is read in {read_at} but not declared in infra.ts: add "
                          f'new sst.Secret("{name}") and link it to the service', linked.line)
        elif linked.missing:
            sf.add(stage, f"secret {name} is read in {read_at} but not linked to the service{{where}}: the service "
                          "has no link property; add link: [...] with the secret", linked.line)
        else:
            sf.add(stage, f"secret {name} is read in {read_at} but not linked to the service{{where}}: add it to "
                          "link", linked.line)


def read_location(service_dir: str, path: str, line: int) -> str:
    """``src/charge.ts:12`` (relative to the service folder)."""
    rel = path[len(service_dir) + 1 :] if path.startswith(service_dir + "/") else path
    return f"{rel}:{line}"


# -- alarms -----------------------------------------------------------------------------------
#: (option of alarms(...), limit, comparison): the conventions' thresholds
THRESHOLDS: tuple[tuple[str, float, str], ...] = (
    ("errorRatePercent", 1, "≤"),
    ("latencyP99Ms", 1000, "≤"),
    ("dlqDepth", 0, "="),
)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def alarm_options(infra: Infra, call: Node, stage: str) -> tuple[Any, int]:
    """The evaluated options object of an ``alarms(name, service, options)`` call (its last
    argument) in ``stage``, and the call's line."""
    args = _args(call)
    line = ts.line_of(call)
    if len(args) < 3:
        return ts.Missing("alarms(...) has no options argument"), line
    return infra.evaluate(stage, args[-1]), line


def option(opts: Any, key: str, call_line: int) -> Prop:
    """``opts.key`` with the line of its property (the call's line when it is absent)."""
    if isinstance(opts, ts.Obj):
        line = ts.line_of(opts.at[key]) if key in opts.at else call_line
        return Prop(opts.lookup(key, "the alarms(...) options"), line)
    return Prop(opts, call_line)


def metric_alarm_kind(o: ts.Obj) -> str | None:
    """Which threshold of the conventions a ``new aws.cloudwatch.MetricAlarm`` options object
    implements, from its metric: ``latencyP99Ms`` (``TargetResponseTime`` or a metric named
    ``*latency*``), ``errorRatePercent`` (a metric or metric-math expression on errors / 5XX),
    ``dlqDepth`` (``ApproximateNumberOfMessagesVisible`` of a queue named ``*dlq*``/``*dead*``)."""
    metric = o.get("metricName")
    text = describe(o).lower()
    if isinstance(metric, str):
        m = metric.lower()
        if m == "targetresponsetime" or "latency" in m:
            return "latencyP99Ms"
        if "approximatenumberofmessages" in m and ("dlq" in text or "dead" in text):
            return "dlqDepth"
        if "error" in m or "5xx" in m:
            return "errorRatePercent"
        return None
    if "metricQueries" in o and ("5xx" in text or "error" in text):
        return "errorRatePercent"
    return None


def metric_alarm_threshold(o: ts.Obj, kind: str) -> tuple[Any, str | None]:
    """The alarm's threshold in the unit of ``kind`` (``TargetResponseTime`` is in seconds), and
    a problem with its statistic or comparison when there is one."""
    t = o.lookup("threshold")
    problem = None
    op = o.get("comparisonOperator")
    if isinstance(op, str) and not op.startswith("GreaterThan"):
        problem = f"comparisonOperator is {op} (must be GreaterThanThreshold)"
    if kind == "latencyP99Ms":
        stat = o.get("extendedStatistic")
        if stat != "p99" and "metricQueries" not in o:
            problem = f"the statistic is {describe(stat) if stat is not None else 'not p99'} (must be extendedStatistic: \"p99\")"
        if is_number(t) and str(o.get("metricName", "")).lower() == "targetresponsetime":
            t = t * 1000
    if kind == "dlqDepth" and is_number(t) and op == "GreaterThanOrEqualToThreshold":
        t = t - 1  # fires at >= 1 is the same as > 0
    return t, problem
