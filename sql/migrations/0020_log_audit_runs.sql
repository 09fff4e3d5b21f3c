-- The results of `vanbang audit verify` (docs/audit.md): each run of the check that
-- recomputes the issuance log from the database, whether from the command line or on the
-- schedule of the service's job workers. The issuance log page (/giam-sat/nhat-ky-phat-hanh)
-- shows the latest. Append-only, as the log it checks: a result is never rewritten.
CREATE TABLE log_audit_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL CHECK (finished_at >= started_at),
    -- The leaves recomputed, and the root recomputed over them (NULL for an empty log).
    tree_size bigint NOT NULL CHECK (tree_size >= 0),
    root bytea CHECK (octet_length(root) = 32),
    checkpoints bigint NOT NULL CHECK (checkpoints >= 0),
    -- Register events compared with the leaves.
    events bigint NOT NULL CHECK (events >= 0),
    ok boolean NOT NULL,
    -- Every problem found, and the first of them (at most 200) as a JSON list of objects
    -- {"kind": ..., "text": the command line's line, and the values it names}.
    problem_count bigint NOT NULL CHECK (problem_count >= 0),
    problems jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(problems) = 'array'),
    how text NOT NULL CHECK (how IN ('cli', 'scheduled')),
    CHECK (ok = (problem_count = 0))
);
CREATE INDEX log_audit_runs_finished_idx ON log_audit_runs (finished_at DESC);

CREATE TRIGGER log_audit_runs_append_only BEFORE UPDATE OR DELETE ON log_audit_runs
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER log_audit_runs_no_truncate BEFORE TRUNCATE ON log_audit_runs
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();
