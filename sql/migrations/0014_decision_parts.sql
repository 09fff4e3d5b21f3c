-- The parts of a graduation decision (docs/register.md, "Large decisions"): a decision's
-- graduates may be registered in more than one list, the first with the decision and each
-- further one (a supplementary list, danh sách bổ sung) under it, numbered 1, 2, ... The
-- register stays append-only: a part is a new row, never a change to the decision, and the
-- decision's graduate count is the sum of its parts'. Each part's diplomas are signed and
-- logged as a registration's are (0006_log: the diplomas' own trigger).
CREATE TABLE decision_parts (
    decision_id uuid NOT NULL REFERENCES graduation_decisions (id),
    part integer NOT NULL CHECK (part > 0),
    graduate_count integer NOT NULL CHECK (graduate_count > 0),
    late boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    recorded_by uuid REFERENCES accounts (id)
        DEFAULT nullif(current_setting('vanbang.account_id', true), '')::uuid,
    PRIMARY KEY (decision_id, part)
);

CREATE TRIGGER decision_parts_append_only
    BEFORE UPDATE OR DELETE ON decision_parts
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER decision_parts_no_truncate
    BEFORE TRUNCATE ON decision_parts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();

-- Every decision registered so far is its own first part.
INSERT INTO decision_parts (decision_id, part, graduate_count, late, created_at, recorded_by)
SELECT id, 1, graduate_count, coalesce(late, false), created_at, recorded_by
FROM graduation_decisions;
