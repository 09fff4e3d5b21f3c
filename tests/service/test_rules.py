"""The rules of domain/ as plain functions: a diploma's standing, blank usability and
destroyability, the anomaly thresholds, and what the event models answer and sign."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime

import orjson
import pytest

from service.domain.anomalies import RATE_FACTOR, RATE_MARGIN, RATE_MIN_EVENTS, rate_out_of_line
from service.domain.blanks import BlankState, destroyability_errors, usability_errors
from service.domain.events import (
    BlanksDestroyed,
    CertifiedCopy,
    Event,
    Handover,
    Revocation,
    Signer,
)
from service.domain.standing import State, ensure_in_force, in_force, public_status, standing
from service.problems import Problem
from verifier.events import EVENT_FIELDS, EVENT_VERSION, encode_event
from verifier.result import Verdict

NOW = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("revoked", "replaced", "corrected"), list(itertools.product([False, True], repeat=3))
)
def test_standing_orders_revoked_replaced_corrected(
    revoked: bool, replaced: bool, corrected: bool
) -> None:
    state = standing(revoked=revoked, replaced=replaced, corrected=corrected)
    expected = (
        State.REVOKED
        if revoked
        else State.REPLACED
        if replaced
        else State.CORRECTED
        if corrected
        else State.IN_FORCE
    )
    assert state == expected
    assert in_force(state) == (not revoked and not replaced)


def test_the_lifecycle_guard_names_what_stands_in_the_way() -> None:
    with pytest.raises(Problem) as revoked:
        ensure_in_force(revoked_decision="45/QĐ", replaced_by=uuid.uuid4(), corrected=True)
    assert revoked.value.type.slug == "diploma-not-in-force"
    assert "45/QĐ" in (revoked.value.detail_vi or "")
    other = uuid.uuid4()
    with pytest.raises(Problem) as replaced:
        ensure_in_force(revoked_decision=None, replaced_by=other, corrected=False)
    assert str(other) in (replaced.value.detail_en or "")
    assert ensure_in_force(revoked_decision=None, replaced_by=None, corrected=True) == (
        State.CORRECTED
    )


def _status(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "revoked_decision": None,
        "revoked_on": None,
        "revoked_by": None,
        "revoked_ground": None,
        "revoked_reason": None,
        "replaced_by_serial": None,
        "replaced_by_register_number": None,
        "replaced_on": None,
        "corrected_version": None,
        "corrected_decision": None,
        "corrected_on": None,
        "corrected_current": None,
    }
    return {**base, **changes}


def test_the_public_projection_shows_the_ceiling_only() -> None:
    current = {
        "holder_name": "Nguyễn Văn B",
        "date_of_birth": "2007-01-02",
        "place_of_birth": "Hà Nội",
        "gender": "female",
        "ethnicity": "Tày",
        "nationality": "Việt Nam",
    }
    step, verdict, shown = public_status(
        _status(
            corrected_version=2,
            corrected_decision="7/QĐ",
            corrected_on=date(2026, 1, 2),
            corrected_current=orjson.dumps(current).decode(),
        )
    )
    assert verdict == Verdict.CORRECTED
    assert step.outcome.value == "passed"
    assert shown["current"] == {
        "holder_name": "Nguyễn Văn B",
        "date_of_birth": "2007-01-02",
        "place_of_birth": "Hà Nội",
    }
    # A revocation outranks the correction and the replacement, as in the register.
    _, verdict, shown = public_status(
        _status(
            revoked_decision="9/QĐ",
            revoked_on=date(2026, 2, 3),
            revoked_by="Sở GDĐT",
            revoked_ground="fraud",
            revoked_reason="x",
            replaced_by_serial="B2",
            replaced_on=date(2026, 1, 1),
            corrected_version=2,
            corrected_current=orjson.dumps(current).decode(),
        )
    )
    assert verdict == Verdict.REVOKED
    assert shown["state"] == "revoked"
    assert shown["decided_on"] == "2026-02-03"


def _blank(serial: str, *, received: bool, used: bool, events: tuple[str, ...]) -> BlankState:
    return BlankState(
        serial,
        uuid.uuid4() if received else None,
        uuid.uuid4() if used else None,
        events,
    )


def test_a_blank_is_usable_when_received_unused_and_untouched() -> None:
    blanks = [
        _blank("A1", received=True, used=False, events=()),
        _blank("A2", received=False, used=False, events=()),
        _blank("A3", received=True, used=True, events=()),
        _blank("A4", received=True, used=False, events=("spoiled",)),
    ]
    errors = usability_errors(blanks, lambda i: ("serials", i))
    assert [(e.loc, e.code) for e in errors] == [
        (("serials", 1), "blank_not_received"),
        (("serials", 2), "blank_used"),
        (("serials", 3), "blank_spoiled"),
    ]


def test_a_blank_may_be_destroyed_unless_it_carries_a_diploma_in_force() -> None:
    blanks = [
        _blank("B1", received=True, used=False, events=()),  # unused: yes
        _blank("B2", received=True, used=True, events=("spoiled",)),  # re-issued: yes
        _blank("B3", received=True, used=True, events=()),  # in force: no
        _blank("B4", received=True, used=False, events=("spoiled", "destroyed")),  # done
        _blank("B5", received=False, used=False, events=()),  # never received
    ]
    assert [(e.loc, e.code) for e in destroyability_errors(blanks)] == [
        (("serials", 2), "blank_used"),
        (("serials", 3), "blank_destroyed"),
        (("serials", 4), "blank_not_received"),
    ]


def test_a_rate_is_out_of_line_only_past_every_threshold() -> None:
    peer = 0.01
    high = peer * RATE_FACTOR + RATE_MARGIN
    assert rate_out_of_line(RATE_MIN_EVENTS, high, peer)
    assert not rate_out_of_line(RATE_MIN_EVENTS - 1, high, peer)  # too few events
    assert not rate_out_of_line(RATE_MIN_EVENTS, peer * RATE_FACTOR * 0.99, peer)
    assert not rate_out_of_line(RATE_MIN_EVENTS, 0.005, 0.001)  # 5 times, but 0.4 points


def _events() -> list[Event]:
    kid = bytes(range(8))
    return [
        Revocation(
            id=uuid.uuid4(),
            diploma_id=uuid.uuid4(),
            issuer="SGDDT-HN",
            serial="HN25-000001",
            record_digest=bytes(16),
            decision_number="1/QĐ",
            decided_on=date(2026, 1, 2),
            authority="Sở GDĐT Hà Nội",
            ground="fraud",
            reason="gian lận",
            recorded_at=NOW,
            kid=kid,
        ),
        CertifiedCopy(
            id=uuid.uuid4(),
            diploma_id=uuid.uuid4(),
            issuer="SGDDT-HN",
            serial="HN25-000001",
            record_digest=bytes(16),
            number="1/2026/BS",
            year=2026,
            seq=1,
            requester_name="Nguyễn Văn A",
            relation="holder",
            id_document_type="citizen_id",
            id_document_number="001207000001",
            copies=2,
            issued_on=date(2026, 1, 3),
            version=1,
            content={"serial": "HN25-000001"},
            signer=Signer(name="Lê Văn Thành", title="Giám đốc"),
            recorded_at=NOW,
            kid=kid,
        ),
        Handover(
            id=uuid.uuid4(),
            diploma_id=uuid.uuid4(),
            issuer="SGDDT-HN",
            serial="HN25-000001",
            record_digest=bytes(16),
            recipient_name="Nguyễn Văn B",
            relation="representative",
            id_document_type="citizen_id",
            id_document_number="001207000002",
            authorisation="Giấy ủy quyền số 5/2026",
            handed_over_on=date(2026, 1, 3),
            handed_over_by="Lê Thị Hoa",
            note=None,
            recorded_at=NOW,
            kid=kid,
        ),
        BlanksDestroyed(
            id=uuid.uuid4(),
            issuer="SGDDT-HN",
            kind="thpt",
            serials=["HN25-000002"],
            minutes_number="BB-1",
            council=["Trần Văn C"],
            reason="hỏng",
            method="cắt hủy",
            destroyed_on=date(2026, 1, 4),
            recorded_at=NOW,
            was_used=[False],
            was_spoiled=[True],
            kid=kid,
        ),
    ]


@pytest.mark.parametrize("event", _events(), ids=lambda e: e.TYPE)
def test_an_event_signs_exactly_its_types_fields(event: Event) -> None:
    fields = {"v": EVENT_VERSION, **event.signed_fields()}
    assert set(fields) == EVENT_FIELDS[event.TYPE]
    assert fields["issued_at"] == int(NOW.timestamp())
    encode_event(fields)  # raises on a missing or extra field


@pytest.mark.parametrize("event", _events(), ids=lambda e: e.TYPE)
def test_an_event_answers_none_of_its_private_fields(event: Event) -> None:
    answer = orjson.loads(event.to_json())
    private = {name for name, f in type(event).model_fields.items() if f.exclude}
    assert private
    assert not private & set(answer)
    assert answer["recorded_at"] == NOW.isoformat()  # "+00:00", as the API always wrote it
    statement = b"signed statement"
    for query, args in event.rows(statement):
        assert statement in args, query  # every row stores the statement it was signed with


def test_a_copy_never_answers_the_identity_document_number() -> None:
    copy = next(e for e in _events() if isinstance(e, CertifiedCopy))
    assert b"001207000001" not in copy.to_json()
    assert "001207000001" in copy.rows(b"s")[0][1]
