-- Revocation and cancellation (thu hồi, hủy bỏ; Art. 25): a decision recorded as a new row that
-- refers to the diploma, signed by the issuer's key, never an edit of the diploma. One per
-- diploma: a second decision on the same diploma is refused.

CREATE TABLE revocations (
    id uuid PRIMARY KEY,
    diploma_id uuid NOT NULL UNIQUE REFERENCES diplomas (id),
    issuer_code text NOT NULL REFERENCES issuers (code),
    decision_number text NOT NULL CHECK (length(decision_number) BETWEEN 1 AND 64),
    decided_on date NOT NULL,
    authority text NOT NULL CHECK (length(authority) BETWEEN 1 AND 200),
    ground text NOT NULL CHECK (ground IN (
        'fraud', 'ineligible', 'no_authority', 'altered', 'lent', 'issuer_error'
    )),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    signed bytea NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX revocations_issuer_idx ON revocations (issuer_code, decided_on);

CREATE TRIGGER revocations_append_only
    BEFORE UPDATE OR DELETE ON revocations
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER revocations_no_truncate
    BEFORE TRUNCATE ON revocations
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();
