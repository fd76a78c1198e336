from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import run

SRC = "services/payments/src/patients.ts"


def test_passes(tmp_path: Path) -> None:
    code = """
    import { logger } from "@platform/log";
    export function f(patient: { id: string }) {
      logger.info({ patient_id: patient.id }, "email sent to the patient");
    }
    """
    r = run(tmp_path, "conventions.no-phi-logging", extra={SRC: code})
    assert r.status == Status.PASS, r.findings


def test_nested_member_key_and_identifier_fail(tmp_path: Path) -> None:
    code = """
    import { logger } from "@platform/log";
    export function f(c: any, patient: any, ssn: string) {
      logger.info("born", patient.dateOfBirth);
      console.log({ first_name: patient.name });
      c.var.logger.warn(`ssn ${ssn}`);
      log.error({ "Insurance_ID": 1 });
    }
    """
    r = run(tmp_path, "conventions.no-phi-logging", extra={SRC: code})
    assert r.status == Status.FAIL
    assert [f.line for f in r.findings] == [3, 4, 5, 6]
    assert "logs PHI field dateOfBirth" in r.findings[0].message
    assert "first_name" in r.findings[1].message
    assert "ssn" in r.findings[2].message
    assert "Insurance_ID" in r.findings[3].message


def test_context_logger_under_any_parameter_name(tmp_path: Path) -> None:
    code = """
    export const h = async (ctx: any) => {
      ctx.var.logger.info({ mrn: ctx.var.mrn });
      ctx.var.other.info({ mrn: 1 });
    };
    """
    r = run(tmp_path, "conventions.no-phi-logging", extra={SRC: code})
    assert r.status == Status.FAIL
    assert [f.line for f in r.findings] == [2]


def test_bracket_names_computed_keys_and_logger_aliases_fail(tmp_path: Path) -> None:
    code = """
    import { logger } from "@platform/log";
    export function f(c: any, patient: any) {
      logger.info("contact", patient["email"]);
      logger.info({ ["ssn"]: patient.id });
      const l = logger;
      l.info({ dob: patient.born });
      const { warn } = logger;
      warn({ mrn: patient.id });
      const child = c.var.logger.child({ request_id: c.var.requestId });
      child.error({ diagnosis: patient.dx });
      logger.child({ route: "/x" }).info({ phone: patient.p });
    }
    """
    r = run(tmp_path, "conventions.no-phi-logging", extra={SRC: code})
    assert r.status == Status.FAIL
    got = [(f.path, f.line, f.message.split(" logs PHI field ")[0], f.message.split(" logs PHI field ")[1].split(":")[0])
           for f in r.findings]
    assert got == [(SRC, 3, "logger.info(...)", "email"), (SRC, 4, "logger.info(...)", "ssn"),
                   (SRC, 6, "l.info(...)", "dob"), (SRC, 8, "warn(...)", "mrn"),
                   (SRC, 10, "child.error(...)", "diagnosis"),
                   (SRC, 11, "logger.child(...).info(...)", "phone")]


def test_an_alias_of_something_else_is_not_a_logger(tmp_path: Path) -> None:
    code = """
    import { mailer } from "@platform/mail";
    export function f(patient: any) {
      const m = mailer;
      m.send({ email: patient.email });
      const { send } = mailer;
      send({ email: patient.email });
    }
    """
    r = run(tmp_path, "conventions.no-phi-logging", extra={SRC: code})
    assert r.status == Status.PASS, r.findings
