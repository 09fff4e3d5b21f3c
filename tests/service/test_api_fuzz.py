"""schemathesis over the /openapi.json the app serves: every operation, a bounded number of
generated requests each (valid ones and deliberately invalid ones), sent over real HTTP to the
app on a loopback port, with the demo tokens and signed-in staff sessions, against a real
PostgreSQL. No answer may be a server error, and every error must be an RFC 9457 problem
(application/problem+json, its type, title and status, the status the answer's) or, where the
document says a page answers a form again for that status, that page.

Accept: what software sends (JSON first), so that errors are problems everywhere; the HTML
error pages a browser gets are tested in tests/service/test_public.py and the browser tests.

The examples are bounded (EXAMPLES per operation and mode) so that the run stays within a few
minutes on two cores; it is derandomized, so a run finds what the last one found: set
VANBANG_FUZZ_SEED to an integer to explore other requests (the failures name a curl command)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from service.settings import Settings
from tests.conftest import ADMIN, AUDITOR, CLERK
from tests.factories import registered
from tests.staff import AUDITOR_LOGIN, CLERK_LOGIN

EXAMPLES = 20
PROBLEM = "application/problem+json"
_MAX_LINE = 8190  # aiohttp's max_line_size and max_field_size
ACCEPT = "application/json, application/problem+json, */*;q=0.1"
_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Room for every request the run sends: a 429 would hide what a request does."""
    return dataclasses.replace(
        settings, rate_burst=100_000, lookup_rate_burst=100_000, open_rate_burst=100_000
    )


@dataclass
class Failure:
    operation: str
    mode: str
    reason: str
    curl: str


def _token_for(path: str) -> str:
    if path.startswith(("/api/v1/audit", "/api/v1/national-export")):
        return AUDITOR
    if path.startswith("/api/v1/accounts"):
        return ADMIN
    return CLERK


def _signed_in(base: str, login: tuple[str, str]) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/dang-nhap", timeout=30)
    found = _FORM_TOKEN.search(page.text)
    assert found, "the sign-in page has no form token"
    username, password = login
    answer = session.post(
        f"{base}/dang-nhap",
        data={"form_token": found[1], "username": username, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303, answer.text
    return session


def _html_statuses(operation: Any) -> set[int]:
    """The error statuses the document says this page answers with the form again."""
    statuses = set()
    for status, response in operation.definition.raw.get("responses", {}).items():
        if status.isdigit() and "text/html" in response.get("content", {}):
            statuses.add(int(status))
    return statuses


def _too_long_for_http(response: schemathesis.Response) -> bool:
    """Whether the request line or a header was longer than aiohttp's HTTP parser reads
    (8190 bytes): then aiohttp itself answers 400 in plain text, before the app sees the
    request (docs/operations.md, "Hostile input")."""
    request = response.request
    lines = [f"{request.method} {request.path_url} HTTP/1.1"]
    lines += [f"{name}: {value!s}" for name, value in request.headers.items()]
    return any(len(line.encode("utf-8", "surrogatepass")) > _MAX_LINE - 2 for line in lines)


def _complaint(operation: Any, response: schemathesis.Response) -> str | None:
    """What is wrong with the answer, if anything."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}: {response.text[:300]}"
    if status < 400:
        return None
    media_type = response.headers.get("content-type", [""])[0].split(";")[0].strip()
    if status == 400 and media_type == "text/plain" and _too_long_for_http(response):
        return None
    if media_type == "text/html" and status in _html_statuses(operation):
        return None
    if media_type != PROBLEM:
        shown = media_type or "nothing"
        return f"{status} answered as {shown}, not as a problem: {response.text[:200]!r}"
    try:
        body = response.json()
    except ValueError:
        return f"{status}: the problem is not JSON"
    if not isinstance(body, dict):
        return f"{status}: the problem is not an object"
    missing = [key for key in ("type", "title", "status") if key not in body]
    if missing:
        return f"{status}: the problem has no {', '.join(missing)}"
    if body["status"] != status:
        return f"{status}: the problem says status {body['status']}"
    if not (isinstance(body["type"], str) and isinstance(body["title"], str) and body["title"]):
        return f"{status}: the problem's type or title is no text"
    return None


def _examples(
    base: str,
    strategy: Any,
    mode: str,
    session: requests.Session,
    headers: dict[str, str],
    failures: list[Failure],
    chosen_seed: int,
    statuses: dict[str, set[int]],
) -> int:
    """Sends EXAMPLES requests drawn from `strategy`; adds what fails to `failures`."""
    sent = 0

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=chosen_seed == 0,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def one(case: Any) -> None:
        nonlocal sent
        sent += 1
        try:
            response = case.call(
                base_url=base,
                session=session,
                headers=headers,
                allow_redirects=False,
                timeout=60,
            )
        except requests.RequestException as exc:
            complaint: str | None = f"no answer: {exc!r}"
        else:
            complaint = _complaint(case.operation, response)
            statuses.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)
        if complaint:
            failures.append(
                Failure(
                    f"{case.method} {case.path}",
                    mode,
                    complaint,
                    case.as_curl_command(headers=headers),
                )
            )

    if chosen_seed:
        one = seed(chosen_seed)(one)
    try:
        one()
    except Unsatisfiable:  # an operation without parameters has no invalid request to make
        assert mode == "negative", f"{mode}: no request could be made"
    return sent


def _fuzz(base: str, real: dict[str, str]) -> tuple[list[Failure], int, dict[str, set[int]]]:
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    clerk = _signed_in(base, CLERK_LOGIN)
    auditor = _signed_in(base, AUDITOR_LOGIN)
    software = requests.Session()
    failures: list[Failure] = []
    statuses: dict[str, set[int]] = {}
    sent = 0
    chosen_seed = int(os.environ.get("VANBANG_FUZZ_SEED", "0"))
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # the document is valid
        path = operation.path
        session = software
        if path.startswith(("/quan-ly", "/tai-khoan", "/doi-mat-khau", "/mau/")):
            session = clerk
        elif path.startswith("/giam-sat"):
            session = auditor
        headers = {"Accept": ACCEPT, "Authorization": f"Bearer {_token_for(path)}"}
        # Sign-out forms would end the sessions the other pages are fuzzed with.
        if path.startswith("/dang-xuat"):
            session = requests.Session()
        fixed = {name: value for name, value in real.items() if "{" + name + "}" in path}
        runs: list[tuple[str, Any]] = [
            ("positive", operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
        ]
        if operation.definition.raw.get("parameters") or operation.body:
            runs.append(
                ("negative", operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
            )
        if fixed:
            runs.append(
                (
                    "positive, real ids",
                    operation.as_strategy(
                        generation_mode=GenerationMode.POSITIVE, path_parameters=fixed
                    ),
                )
            )
        for mode, strategy in runs:
            sent += _examples(
                base, strategy, mode, session, headers, failures, chosen_seed, statuses
            )
    return failures, sent, statuses


async def test_no_operation_answers_a_server_error_or_an_error_that_is_no_problem(
    client: Any,
) -> None:
    diplomas = await registered(client, graduates=2)
    real = {"id": diplomas[0]["id"], "code": "SGDDT-HN"}
    base = str(client.server.make_url("")).rstrip("/")
    failures, sent, statuses = await asyncio.to_thread(_fuzz, base, real)
    report = "\n".join(f"{f.operation} [{f.mode}]: {f.reason}\n    {f.curl}" for f in failures)
    assert not failures, f"{len(failures)} of {sent} requests failed:\n{report}"
    # The tokens and sessions were real: the run went past the sign-in on most operations.
    signed = [op for op, seen in statuses.items() if seen - {401, 303}]
    assert len(signed) > 0.9 * len(statuses), sorted(set(statuses) - set(signed))
