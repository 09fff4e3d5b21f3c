-- Custody of a register (docs/custody.md): when a body stops existing or loses a power
-- (district education offices on 01/07/2025, Circular 13/2025/TT-BGDĐT), its register passes
-- to another body, which from then on records the corrections, re-issues, copies and
-- revocations of those diplomas with its own key. A diploma keeps its original issuer; the
-- body holding its register is recorded here, one row per transfer, append-only, signed by
-- the receiving custodian's key and a leaf of the issuance log.

CREATE TABLE custody_transfers (
    id uuid PRIMARY KEY,
    -- Whose register: the body that issued its diplomas (never changes along the chain).
    register_issuer text NOT NULL REFERENCES issuers (code),
    -- 1 for the first transfer of the register, 2 for the next (from the first custodian)...
    seq integer NOT NULL CHECK (seq >= 1),
    from_custodian text NOT NULL REFERENCES issuers (code),
    to_custodian text NOT NULL REFERENCES issuers (code),
    effective_on date NOT NULL,  -- the legal date (Vietnam's day)
    legal_basis text NOT NULL CHECK (length(legal_basis) BETWEEN 1 AND 300),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    signed bytea NOT NULL,  -- the signed transfer statement (COSE_Sign1)
    -- When it was recorded and signed: from this moment the custodian's keys sign for the
    -- register and the issuer's stop (the trust list's `since`).
    recorded_at timestamptz NOT NULL,
    recorded_by uuid REFERENCES accounts (id)
        DEFAULT nullif(current_setting('vanbang.account_id', true), '')::uuid,
    CONSTRAINT custody_transfers_seq_key UNIQUE (register_issuer, seq),
    CHECK (from_custodian <> to_custodian),
    CHECK (to_custodian <> register_issuer),
    CHECK ((seq = 1) = (from_custodian = register_issuer))
);
CREATE INDEX custody_transfers_to_idx ON custody_transfers (to_custodian);

CREATE TRIGGER custody_transfers_append_only
    BEFORE UPDATE OR DELETE ON custody_transfers
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER custody_transfers_no_truncate
    BEFORE TRUNCATE ON custody_transfers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();

-- A transfer is a leaf of the issuance log (type custody_transfer, the register's issuer, no
-- diploma). A trigger function of its own, so that log_enqueue stays as 0009 left it.
CREATE FUNCTION custody_log_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
    SELECT 'custody_transfer', register_issuer, NULL, sha256(signed), recorded_at
    FROM new_rows ORDER BY seq;
    RETURN NULL;
END;
$$;

CREATE TRIGGER custody_transfers_log
    AFTER INSERT ON custody_transfers REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION custody_log_enqueue();
