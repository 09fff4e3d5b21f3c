"""The issuance log as an auditor sees it (docs/audit.md): the latest checkpoint to copy, the
witnesses (none cosign yet, and why), the latest rechecks of the log with their problems in
words, and how a department keeps its own checkpoints; and a diploma's leaves with their
inclusion proofs checked, for its page."""

from __future__ import annotations

import base64
import shlex
from typing import Any

from service.domain.log_audit import AuditRun, DiplomaLog, LogProblem
from service.texts import LOG_AUDIT_PROBLEMS, LOG_EVENTS, Text
from service.usecases.issuance_log import LogState, proof_name
from service.web.render import render
from service.web.staff_pages import Frame, when
from service.web.texts import text
from verifier.result import Lang


def _pick(pair: Text, lang: Lang) -> str:
    return pair.vi if lang == "vi" else pair.en


def event_name(event: str, lang: Lang) -> str:
    named = LOG_EVENTS.get(event)
    return event if named is None else _pick(named, lang)


def problem_said(problem: LogProblem, lang: Lang) -> str:
    """A problem the audit found, in words: events by their names, subtrees by their leaves."""
    values: dict[str, Any] = dict(problem.values)
    if "event" in values:
        code = str(values["event"])
        values["event"] = LOG_EVENTS.get(code, Text(code, code))
    if "level" in values:
        first = int(values["index"]) << int(values["level"])
        values["first"], values["last"] = first, first + (1 << int(values["level"])) - 1
    said = LOG_AUDIT_PROBLEMS[problem.kind].format(**values)
    return _pick(said, lang)


def _run(run: AuditRun, lang: Lang) -> dict[str, Any]:
    shown = [problem_said(p, lang) for p in run.problems]
    more = run.problem_count - len(shown)
    return {
        "when": when(run.finished_at, lang),
        "how": text("lg_how_cli" if run.how == "cli" else "lg_how_scheduled", lang),
        "size": run.tree_size,
        "detail": str(text("lg_run_detail", lang)).format(
            checkpoints=run.checkpoints, events=run.events
        ),
        "ok": run.ok,
        "problems": shown,
        "more": str(text("lg_more_problems", lang)).format(count=more) if more > 0 else None,
    }


def _schedule(hours: int, lang: Lang) -> str:
    if hours == 0:
        return str(text("lg_schedule_off", lang))
    if hours == 24:
        return str(text("lg_schedule_daily", lang))
    return str(text("lg_schedule_hours", lang)).format(hours=hours)


def log_page(
    frame: Frame,
    state: LogState,
    *,
    public_url: str,
    verifier_key: str | None,
    audit_hours: int,
) -> str:
    lang = frame.lang
    cp = state.checkpoint
    checkpoint = None
    if cp is not None:
        checkpoint = {
            "facts": [
                (text("lg_size", lang), str(cp.size)),
                (text("lg_root_hex", lang), cp.root.hex()),
                (text("lg_root_b64", lang), base64.b64encode(cp.root).decode()),
                (text("lg_signed_at", lang), when(cp.created_at, lang)),
            ],
            "note": cp.note,
        }
    url = shlex.quote(public_url)
    return render(
        "supervision/issuance_log.html",
        lang,
        **frame.context(),
        title=text("lg_title", lang),
        checkpoint=checkpoint,
        verifier_key=verifier_key,
        # Each witness's latest cosignature (docs/audit.md, "Witnesses").
        cosignatures=[
            text("lg_witness_line", lang).format(
                name=c.witness,
                size=c.size,
                when=when(c.cosigned_at, lang),
                latest=text(
                    "lg_witness_latest"
                    if cp is not None and c.size == cp.size
                    else "lg_witness_behind",
                    lang,
                ),
            )
            for c in state.cosigned
        ],
        schedule=_schedule(audit_hours, lang),
        runs=[_run(r, lang) for r in state.runs],
        first_commands="\n".join(
            (
                f"curl -s {url}/log/key > log.key",
                f"curl -s {url}/log/checkpoint > saved.txt",
            )
        ),
        daily_command=(
            f"vanbang-verify log --checkpoint saved.txt --url {url} --key log.key --update"
        ),
    )


def diploma_proof(log: DiplomaLog, diploma_id: str, lang: Lang) -> dict[str, Any]:
    """The diploma page's section: each leaf, its event in words and whether its checked
    proof puts it in the latest checkpoint."""
    q = "" if lang == "vi" else "?lang=en"
    included_in = ""
    if log.tree_size is not None and log.root is not None:
        included_in = str(text("lg_included_in", lang)).format(
            size=log.tree_size, root=log.root.hex()
        )
    leaves = [
        {
            "index": "—" if leaf.index is None else str(leaf.index),
            "event": event_name(leaf.event, lang),
            "when": when(leaf.time, lang),
            "hash": "" if leaf.leaf_hash is None else leaf.leaf_hash.hex(),
            "state": leaf.state,
            "proof": None
            if leaf.state != "included"
            else f"/quan-ly/van-bang/{diploma_id}/bang-chung.tlog-proof?index={leaf.index}",
            "said": text(
                {"included": "lg_included", "queued": "lg_queued", "failed": "lg_proof_failed"}[
                    leaf.state
                ],
                lang,
            ),
        }
        for leaf in log.leaves
    ]
    return {
        "leaves": leaves,
        "included_in": included_in,
        "bundle": f"/quan-ly/van-bang/{diploma_id}/bang-chung.json"
        if any(leaf.event == "issue" and leaf.state == "included" for leaf in log.leaves)
        else None,
        "check_command": f"vanbang-verify bundle {bundle_name(diploma_id)} --key log.key"
        " --root-key root.pub.pem --trust-list trust-list.cose",
        "log_page": f"/giam-sat/nhat-ky-phat-hanh{q}",
        "proof_command": f"vanbang-verify proof {proof_name(f'{diploma_id}-N')} --key log.key",
        "any_proof": any(leaf.state == "included" for leaf in log.leaves),
    }


def bundle_name(diploma_id: str) -> str:
    """The bundle's file name, as downloaded."""
    return f"bang-chung-{diploma_id}.json"
