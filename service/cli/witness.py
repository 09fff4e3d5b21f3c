"""`vanbang witness`: a witness of the issuance log (docs/audit.md, "Witnesses"), run by a
department or anyone, apart from the service and without its database.

    vanbang witness key generate --name witness.example/w1 --out witness.key
    vanbang witness key show --key witness.key
    vanbang witness serve --key witness.key --state DIR --log-key LOG_VKEY [--listen HOST:PORT]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from service.cli.common import CommandError

DEFAULT_LISTEN = "127.0.0.1:8090"


def add_commands(commands: Any) -> None:
    witness = commands.add_parser(
        "witness", help="a witness that cosigns the issuance log (c2sp.org/tlog-witness)"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    key = witness.add_parser("key", help="the witness's key").add_subparsers(
        dest="key_action", required=True, metavar="ACTION"
    )
    generate = key.add_parser(
        "generate", help="create the witness's key file and print its verifier key"
    )
    generate.add_argument(
        "--name", required=True, help="the witness's name, e.g. witness.sgddt-hn.example/w1"
    )
    generate.add_argument("--out", type=Path, required=True, help="the key file to create")
    show = key.add_parser("show", help="print the verifier key of a witness key file")
    show.add_argument("--key", type=Path, required=True, help="the witness's key file")
    serve = witness.add_parser("serve", help="serve the witness's add-checkpoint endpoint")
    serve.add_argument("--key", type=Path, required=True, help="the witness's key file")
    serve.add_argument(
        "--state", type=Path, required=True, help="the witness's state directory (its own)"
    )
    serve.add_argument(
        "--log-key",
        action="append",
        required=True,
        metavar="LOG_VKEY",
        help="a log's verifier key (the text of its /log/key) or a file holding it; repeatable",
    )
    serve.add_argument(
        "--listen", default=DEFAULT_LISTEN, help=f"HOST:PORT to listen on ({DEFAULT_LISTEN})"
    )


def run(args: argparse.Namespace) -> int:
    from service.witness import keyfile

    try:
        if args.action == "key" and args.key_action == "generate":
            made = keyfile.generate(args.out, args.name)
            print(made.vkey)
            return 0
        witness = keyfile.load(args.key)
    except (keyfile.WitnessKeyError, FileExistsError) as exc:
        raise CommandError(str(exc)) from None
    if args.action == "key":
        print(witness.vkey)
        return 0
    return _serve(witness, args)


def _log_keys(values: list[str]) -> dict[str, Any]:
    from verifier.errors import NoteError
    from verifier.note import NoteVerifiers, parse_verifier_key

    keys: dict[str, list[str]] = {}
    for value in values:
        text = value if "+" in value else Path(value).read_text(encoding="utf-8").strip()
        try:
            origin, _ = parse_verifier_key(text)
        except NoteError as exc:
            raise CommandError(f"--log-key {value}: {exc}") from None
        keys.setdefault(origin, []).append(text)
    return {origin: NoteVerifiers.parse(texts) for origin, texts in keys.items()}


def _serve(witness: Any, args: argparse.Namespace) -> int:
    import structlog
    from aiohttp import web

    from service.witness.server import create_witness_app
    from service.witness.state import State, StateError

    host, colon, port = args.listen.rpartition(":")
    if not colon or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--listen is HOST:PORT, not {args.listen!r}")
    logs = _log_keys(args.log_key)
    state = State(args.state)
    try:
        state.open()
    except StateError as exc:
        raise CommandError(str(exc)) from None
    try:
        app = create_witness_app(witness, logs, state)
        structlog.get_logger(__name__).info(
            "witness_serving", name=witness.name, vkey=witness.vkey, logs=sorted(logs),
            listen=args.listen,
        )  # fmt: skip
        web.run_app(app, host=host.strip("[]") or "127.0.0.1", port=int(port), print=None)
    finally:
        state.close()
    return 0
