"""The `vanbang` command: serve, migrate, import, QR codes, the demo, the lifecycle actions
(revoke, correct, reissue, copy, handover, blanks), the custody of registers, issuers, keys
and tokens, and exports."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import asyncpg

from service import __version__
from service.cli import accounts, backup, custody, exports, keys, lifecycle, tlog, witness
from service.cli import qr as qr_command
from service.cli.common import Action, CommandError
from service.cli.imports import import_file
from service.cli.rules import print_rules
from service.cli.serve import resolve_database, serve
from service.cli.template import write_template
from service.db.migrate import MigrationError, migrate
from service.demo import DemoAccountsError
from service.docsign.registry import DemoCertificateError
from service.domain.accounts import Role
from service.domain.kinds import DiplomaKind, IssuerKind
from service.domain.lifecycle import (
    CorrectionGround,
    HandoverRelation,
    IdDocumentType,
    Relation,
    RevocationGround,
)
from service.domain.numbering import DEFAULT_PATTERN
from service.keystore import KeyStoreError
from service.problems import Problem
from service.settings import Settings, SettingsError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanbang", description="Diploma register and verification service."
    )
    parser.add_argument("--version", action="version", version=f"vanbang {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="migrate, then serve HTTP")
    serve.add_argument("--host", help="address to listen on (default VANBANG_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default VANBANG_PORT)")
    serve.add_argument("--workers", type=int, help="server processes (default VANBANG_WORKERS)")

    commands.add_parser("migrate", help="apply pending database migrations")

    work = commands.add_parser("worker", help="run background jobs (apart from vanbang serve)")
    work.add_argument(
        "--concurrency", type=int, help="jobs run at once (default VANBANG_JOB_WORKERS, least 1)"
    )

    imp = commands.add_parser("import", help="register a graduation decision from a file")
    imp.add_argument("file", type=Path, help="a .json, .csv, .xlsx or .xls graduation decision")
    imp.add_argument("--issuer", required=True, help="code of the issuing authority")
    imp.add_argument("--idempotency-key", help="retrying with the same key registers once")
    imp.add_argument(
        "--part-of",
        type=uuid.UUID,
        metavar="DECISION_ID",
        help="register the file as a supplementary list (the next part) of this decision",
    )
    imp.add_argument("--json", action="store_true", help="print the answer as JSON")

    template = commands.add_parser(
        "template", help="write the Excel template of a graduate list (.xlsx) to a file"
    )
    template.add_argument("file", type=Path, help="where to write it, e.g. danh-sach.xlsx")

    rules = commands.add_parser(
        "rules", help="the rules by regulation, with their sources (regulations.toml)"
    )
    rules.add_argument(
        "--unconfirmed", action="store_true", help="only the rules whose source is unconfirmed"
    )
    rules.add_argument("--lang", choices=("vi", "en"), default="vi", help="language (vi)")

    issuer = commands.add_parser("issuer", help="issuing authorities").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = issuer.add_parser("add", help="add an issuing authority")
    add.add_argument("code", help="short code, e.g. SGDDT-HN")
    add.add_argument("--name", required=True, help="full name, e.g. 'Sở GDĐT Hà Nội'")
    add.add_argument("--kind", required=True, choices=[k.value for k in IssuerKind])
    add.add_argument("--parent", help="code of the issuer above it")
    add.add_argument(
        "--pattern",
        default=DEFAULT_PATTERN,
        help="register-number pattern with {n}, {year}, {kind} (default %(default)s)",
    )
    issuer.add_parser("list", help="list issuing authorities")

    key = commands.add_parser("key", help="signing keys").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    generate = key.add_parser("generate", help="create an issuer's first signing key")
    generate.add_argument("--issuer", required=True, help="code of the issuing authority")
    rotate = key.add_parser("rotate", help="retire the issuer's key and activate a new one")
    rotate.add_argument("--issuer", required=True, help="code of the issuing authority")
    compromised = key.add_parser(
        "compromised", help="distrust every signature by a key from a time on"
    )
    compromised.add_argument("kid", help="the key id, 16 hex digits")
    compromised.add_argument(
        "--since", required=True, help="ISO 8601 time with offset, e.g. 2026-03-01T08:00:00+07:00"
    )
    key_list = key.add_parser("list", help="list signing keys and their validity")
    key_list.add_argument("--issuer", help="only this issuer's keys")
    key.add_parser("root", help="create the root key that signs the trust list")
    key.add_parser("log", help="create the issuance log's key that signs checkpoints")
    key.add_parser(
        "personal-id",
        help="create the key that seals the holders' personal identification numbers and the "
        "staff's second-factor secrets",
    )
    certificate = key.add_parser(
        "certificate",
        help="publish the issuer's document-signing certificate (PAdES) in the trust list",
    )
    certificate.add_argument("--issuer", required=True, help="code of the issuing authority")

    audit = commands.add_parser("audit", help="auditing the issuance log").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    audit.add_parser(
        "verify", help="recompute the log from the database and compare with its checkpoints"
    )

    export = commands.add_parser("export", help="exports for other systems").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    national = export.add_parser(
        "national",
        help="the national diploma database export as JSON lines, from a cursor to the end",
    )
    national.add_argument("--after", metavar="CURSOR", help="the cursor the last run printed")
    national.add_argument("--issuer", help="only this issuer and those under it (default: all)")
    national.add_argument(
        "--out", type=Path, metavar="FILE", help="write the records here (default: stdout)"
    )

    qr = commands.add_parser("qr", help="a diploma's QR code (its URL, or a PNG or SVG)")
    qr.add_argument("diploma_id", type=uuid.UUID, help="the diploma's id")
    qr.add_argument("-o", "--output", type=Path, help="write a .png or .svg; else print the URL")
    qr.add_argument(
        "--module-mm",
        type=float,
        help="width of one module, 0.25 to 2.0 (default VANBANG_QR_MODULE_MM, 0.40)",
    )
    qr.add_argument("--dpi", type=int, default=300, help="PNG resolution, 72 to 1200 (300)")

    revoke = commands.add_parser("revoke", help="record a revocation decision (Art. 25)")
    revoke.add_argument("diploma_id", type=uuid.UUID, help="the diploma's id")
    revoke.add_argument("--decision-number", required=True, help="e.g. 45/QĐ-SGDĐT")
    revoke.add_argument("--decided-on", required=True, help="the decision's date")
    revoke.add_argument("--authority", required=True, help="who decided")
    revoke.add_argument("--ground", required=True, choices=[g.value for g in RevocationGround])
    revoke.add_argument("--reason", required=True, help="the reasons the decision states")
    _add_lifecycle_commands(commands, revoke)

    demo = commands.add_parser(
        "demo", help="register a sample decision with the demo keys and print the QR URLs"
    )
    demo.add_argument("--json", action="store_true", help="print the result as JSON")

    custody.add_commands(commands)
    witness.add_commands(commands)
    backup.add_commands(commands)

    token = commands.add_parser("token", help="API bearer tokens").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create = token.add_parser("create", help="create a token and print it (only once)")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--issuer", help="the issuer a clerk works for or an auditor oversees")
    create.add_argument("--label", default="", help="a note on who holds the token")
    token.add_parser("list", help="list tokens (never the tokens themselves)")
    revoke = token.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("id", type=uuid.UUID)

    account = commands.add_parser("account", help="people's accounts").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    new = account.add_parser(
        "create", help="create an account and print its temporary password (only once)"
    )
    new.add_argument("--username", required=True, help="a username or an e-mail address")
    new.add_argument("--name", required=True, help="the person's full name")
    new.add_argument("--role", required=True, choices=[r.value for r in Role])
    new.add_argument("--issuer", help="the issuer (none: an admin of every issuer)")
    listing = account.add_parser("list", help="list accounts")
    listing.add_argument("--issuer", help="only this issuer's accounts")
    for name, help_text in (
        ("disable", "disable an account: its sessions end and its tokens stop"),
        ("enable", "enable a disabled account"),
    ):
        account.add_parser(name, help=help_text).add_argument("username")
    reset = account.add_parser(
        "reset-password", help="give an account a new temporary password (printed once)"
    )
    reset.add_argument("username")
    reset.add_argument(
        "--second-factor", action="store_true", help="remove its second factor too (a lost phone)"
    )
    return parser


def _add_lifecycle_commands(commands: Any, revoke: argparse.ArgumentParser) -> None:
    key_help = "retrying with the same key records once"
    revoke.add_argument("--idempotency-key", help=key_help)
    set_help = "FIELD=VALUE, repeated: the new value of each field that changes"

    correct = commands.add_parser("correct", help="record a correction decision (Art. 21-24)")
    correct.add_argument("diploma_id", type=uuid.UUID, help="the diploma's id")
    correct.add_argument("--decision-number", required=True)
    correct.add_argument("--decided-on", required=True, help="the decision's date")
    correct.add_argument("--signer-name", required=True)
    correct.add_argument("--signer-title", required=True)
    correct.add_argument("--ground", required=True, choices=[g.value for g in CorrectionGround])
    correct.add_argument("--reason", required=True)
    correct.add_argument("--set", action="append", metavar="FIELD=VALUE", help=set_help)
    correct.add_argument("--idempotency-key", help=key_help)

    reissue = commands.add_parser(
        "reissue", help="re-issue on a new blank for the issuer's own error (Art. 18)"
    )
    reissue.add_argument("diploma_id", type=uuid.UUID, help="the diploma's id")
    reissue.add_argument("--serial", required=True, help="the new blank's serial")
    reissue.add_argument("--issued-on", required=True, help="the new issue date")
    reissue.add_argument("--reason", required=True, help="what the issuer wrote wrongly")
    reissue.add_argument("--set", action="append", metavar="FIELD=VALUE", help=set_help)
    reissue.add_argument("--idempotency-key", help=key_help)

    copy = commands.add_parser("copy", help="issue certified copies from the register")
    copy.add_argument("diploma_id", type=uuid.UUID, help="the diploma's id")
    copy.add_argument("--requester-name", required=True)
    copy.add_argument("--relation", required=True, choices=[r.value for r in Relation])
    copy.add_argument("--id-type", required=True, choices=[t.value for t in IdDocumentType])
    copy.add_argument("--id-number", required=True, help="the identity document's number")
    copy.add_argument("--copies", type=int, default=1)
    copy.add_argument("--issued-on", required=True, help="the copies' date")
    copy.add_argument("--signer-name", required=True, help="the officer who signs the copies")
    copy.add_argument("--signer-title", required=True)
    copy.add_argument("--on-behalf-of", help="the head's title when a deputy signs (KT.)")
    copy.add_argument("--idempotency-key", help=key_help)

    handover = commands.add_parser(
        "handover", help="record who received a diploma and when (Art. 13), once"
    )
    handover.add_argument("diploma_id", type=uuid.UUID, help="the diploma's id")
    handover.add_argument("--recipient", required=True, help="the recipient's full name")
    handover.add_argument(
        "--relation",
        choices=[r.value for r in HandoverRelation],
        default=HandoverRelation.HOLDER.value,
        help="the holder (default) or a representative",
    )
    handover.add_argument("--id-type", choices=[t.value for t in IdDocumentType])
    handover.add_argument("--id-number", help="the identity document's number")
    handover.add_argument(
        "--authorisation", help="a representative's authorisation: its number, date, certifier"
    )
    handover.add_argument("--date", required=True, help="the day it was handed over")
    handover.add_argument(
        "--handed-over-by", required=True, help="the staff member, as the register names them"
    )
    handover.add_argument("--note")
    handover.add_argument("--idempotency-key", help=key_help)

    blanks = commands.add_parser("blanks", help="blank forms (phôi)").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    kinds = [k.value for k in DiplomaKind]
    receive = blanks.add_parser("receive", help="record a received range of blanks")
    receive.add_argument("--issuer", required=True)
    receive.add_argument("--kind", required=True, choices=kinds)
    receive.add_argument("--first", required=True, help="first serial of the range")
    receive.add_argument("--last", required=True, help="last serial of the range")
    receive.add_argument("--received-on", required=True)
    receive.add_argument("--reference", required=True, help="delivery note or decision")
    spoil = blanks.add_parser("spoil", help="record unused blanks as spoiled")
    spoil.add_argument("--issuer", required=True)
    spoil.add_argument("--kind", required=True, choices=kinds)
    spoil.add_argument("--serial", required=True, action="append", help="repeat for each")
    spoil.add_argument("--occurred-on", required=True)
    spoil.add_argument("--reason", required=True)
    destroy = blanks.add_parser("destroy", help="record destruction minutes")
    destroy.add_argument("--issuer", required=True)
    destroy.add_argument("--kind", required=True, choices=kinds)
    destroy.add_argument("--serial", required=True, action="append", help="repeat for each")
    destroy.add_argument("--minutes-number", required=True)
    destroy.add_argument("--council", required=True, action="append", help="repeat per member")
    destroy.add_argument("--method", required=True)
    destroy.add_argument("--reason", required=True)
    destroy.add_argument("--destroyed-on", required=True)
    for action in (receive, spoil, destroy):
        action.add_argument("--idempotency-key", help=key_help)
    report = blanks.add_parser("report", help="the yearly report per kind")
    report.add_argument("--issuer", required=True)
    report.add_argument("--year", required=True, type=int)
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    track = blanks.add_parser("track", help="whether registration must consume a blank")
    track.add_argument("--issuer", required=True)
    track.add_argument("state", choices=["on", "off"])


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Runs one command; its exit code. `environ` stands for os.environ (tests run commands
    in-process with an environment of their own)."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(environ)
    except SettingsError as exc:
        print(f"vanbang: configuration error: {exc}", file=sys.stderr)
        return 2
    from service.structured_logging import configure_logging

    configure_logging(settings)
    try:
        if args.command == "serve":
            return serve(settings, args)
        if args.command == "template":  # a file only: no database
            return write_template(settings, args)
        if args.command == "rules":
            return print_rules(args)
        if args.command == "witness":  # its own key and state: no database
            return witness.run(args)
        if args.command == "worker":
            from service.cli.jobs import worker

            return worker(settings, args)
        return asyncio.run(_run(settings, args))
    except Problem as problem:
        _print_problem(problem)
        return 1
    except KeyStoreError as exc:
        print(f"vanbang: key error: {exc}", file=sys.stderr)
        return 2
    except (DemoAccountsError, DemoCertificateError) as exc:
        print(f"vanbang: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"vanbang: configuration error: {exc}", file=sys.stderr)
        return 2
    except (CommandError, MigrationError, OSError, asyncpg.PostgresError) as exc:
        print(f"vanbang: {exc}", file=sys.stderr)
        return 1


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    settings = resolve_database(settings)
    assert settings.database_url is not None
    conn = await asyncpg.connect(settings.database_url)
    try:
        if args.command == "migrate":
            done = await migrate(conn)
            print(f"applied {len(done)} migration(s)" if done else "database is up to date")
            return 0
        action = _ACTIONS[(args.command, getattr(args, "action", None))]
        return await action(settings, conn, args)
    finally:
        await conn.close()


_ACTIONS: dict[tuple[str, str | None], Action] = {
    ("import", None): import_file,
    ("qr", None): qr_command.qr,
    ("revoke", None): lifecycle.revoke,
    ("correct", None): lifecycle.correct,
    ("reissue", None): lifecycle.reissue,
    ("copy", None): lifecycle.copy,
    ("handover", None): lifecycle.handover,
    ("blanks", "receive"): lifecycle.blanks_receive,
    ("blanks", "spoil"): lifecycle.blanks_spoil,
    ("blanks", "destroy"): lifecycle.blanks_destroy,
    ("blanks", "report"): lifecycle.blanks_report,
    ("blanks", "track"): lifecycle.blanks_track,
    ("demo", None): qr_command.demo,
    ("custody", "transfer"): custody.transfer,
    ("custody", "show"): custody.show,
    ("issuer", "add"): accounts.issuer_add,
    ("issuer", "list"): accounts.issuer_list,
    ("key", "generate"): keys.key_generate,
    ("key", "rotate"): keys.key_rotate,
    ("key", "compromised"): keys.key_compromised,
    ("key", "list"): keys.key_list,
    ("key", "root"): keys.key_root,
    ("key", "log"): keys.key_log,
    ("key", "personal-id"): keys.key_personal_id,
    ("key", "certificate"): keys.key_certificate,
    ("audit", "verify"): tlog.audit_verify,
    ("backup", None): backup.backup,
    ("restore", None): backup.restore,
    ("export", "national"): exports.export_national,
    ("token", "create"): accounts.token_create,
    ("token", "list"): accounts.token_list,
    ("token", "revoke"): accounts.token_revoke,
    ("account", "create"): accounts.account_create,
    ("account", "list"): accounts.account_list,
    ("account", "disable"): accounts.account_disable,
    ("account", "enable"): accounts.account_enable,
    ("account", "reset-password"): accounts.account_reset_password,
}


def _print_problem(problem: Problem) -> None:
    print(f"vanbang: {problem.type.title_en}", file=sys.stderr)
    if problem.detail_en:
        print(f"  {problem.detail_en}", file=sys.stderr)
    for error in problem.errors:
        where = f"row {error.row}, {error.column}" if error.row else error.pointer
        print(f"  {where}: {error.message_en}", file=sys.stderr)
