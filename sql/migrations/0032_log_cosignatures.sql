-- Witnesses' cosignatures of the issuance log's checkpoints (c2sp.org/tlog-cosignature,
-- docs/audit.md "Witnesses"). The log sends each new checkpoint to the witnesses configured
-- (VANBANG_WITNESSES); the cosignature line a witness answers with is kept here once it
-- verifies, and /log/checkpoint serves the latest checkpoint with its lines appended. A
-- witness's latest row is also the size it last cosigned: the old size of the next request.

CREATE TABLE log_cosignatures (
    size bigint NOT NULL,            -- a checkpoint's (no foreign key: log_checkpoints is never truncated)
    witness text NOT NULL,           -- the witness's verifier key (name+id+key)
    line text NOT NULL,              -- the signature line, without its newline
    cosigned_at timestamptz NOT NULL, -- the time the cosignature states
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (size, witness)
);
CREATE INDEX log_cosignatures_witness_idx ON log_cosignatures (witness, size DESC);

CREATE TRIGGER log_cosignatures_append_only BEFORE UPDATE OR DELETE ON log_cosignatures
FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER log_cosignatures_no_truncate BEFORE TRUNCATE ON log_cosignatures
FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();
