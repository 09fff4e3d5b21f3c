-- Digital diplomas (văn bằng số, docs/digital-diplomas.md): the signed PDF of each diploma
-- version, made by a background job for a whole decision. A document is a result, not a
-- record (the register is the record, and the document can be made again from it), but the
-- first one made for a version is the one the holder received: it is kept, never replaced.
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('register_list', 'print_decision', 'digital_diplomas'));
-- A person makes a decision's digital diplomas once at a time.
CREATE UNIQUE INDEX jobs_digital_idx ON jobs (decision_id)
    WHERE kind = 'digital_diplomas' AND state IN ('queued', 'running');

CREATE TABLE digital_diplomas (
    diploma_id uuid NOT NULL REFERENCES diplomas (id),
    version integer NOT NULL CHECK (version >= 1),  -- 1 as registered, then each correction
    pdf bytea NOT NULL,
    sha256 bytea NOT NULL CHECK (length(sha256) = 32),
    level text NOT NULL CHECK (level IN ('B-B', 'B-T', 'B-LT', 'B-LTA')),
    made_at timestamptz NOT NULL DEFAULT now(),
    job_id uuid REFERENCES jobs (id) ON DELETE SET NULL,
    PRIMARY KEY (diploma_id, version)
);
CREATE TRIGGER digital_diplomas_append_only
    BEFORE UPDATE OR DELETE ON digital_diplomas
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
