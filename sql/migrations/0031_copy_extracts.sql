-- Electronic extracts of the register (trích lục, docs/lifecycle.md, "Certified copies"): the
-- signed PDF of a copy-register entry of form 'extract'. Made and kept the first time the
-- extract is asked for (the entry is recorded first; a crash in between leaves an entry whose
-- PDF is made at the next request), never replaced: the file the requester received stays
-- the file the register holds.
CREATE TABLE copy_extracts (
    copy_id uuid PRIMARY KEY REFERENCES certified_copies (id),
    pdf bytea NOT NULL,
    sha256 bytea NOT NULL CHECK (length(sha256) = 32),
    level text NOT NULL CHECK (level IN ('B-B', 'B-T', 'B-LT', 'B-LTA')),
    made_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER copy_extracts_append_only
    BEFORE UPDATE OR DELETE ON copy_extracts
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER copy_extracts_no_truncate
    BEFORE TRUNCATE ON copy_extracts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();
