-- Background jobs as the people who start them see them (docs/jobs.md). procrastinate's own
-- tables (the previous migration) hold the queue: which worker runs what, retries, locks;
-- this table holds what a page shows: who started it, what kind of work, how far it is
-- (rows done of total), where its result is, and what went wrong, in Vietnamese and English.
-- Not part of the register: a row changes as the work goes on. A job row and its queue row
-- are inserted in one transaction, so no job is queued unseen nor shown but never queued.
CREATE TABLE jobs (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    issuer_code text REFERENCES issuers (code),
    kind text NOT NULL CHECK (kind IN ('register_list')),
    state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    done_rows integer NOT NULL DEFAULT 0 CHECK (done_rows >= 0),
    total_rows integer NOT NULL CHECK (total_rows > 0),
    -- register_list: the checked list it registers (dropped lists leave the job's record).
    staged_id uuid REFERENCES staged_decisions (id) ON DELETE SET NULL,
    -- The result: the decision the list became (set once its first part is registered).
    decision_id uuid REFERENCES graduation_decisions (id),
    error_vi text,
    error_en text,
    queue_job_id bigint,  -- procrastinate_jobs.id
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    CHECK (done_rows <= total_rows),
    CHECK ((state IN ('done', 'failed')) = (finished_at IS NOT NULL)),
    CHECK ((state = 'failed') = (error_vi IS NOT NULL AND error_en IS NOT NULL))
);
-- One job per checked list: confirming twice finds the first.
CREATE UNIQUE INDEX jobs_staged_idx ON jobs (staged_id) WHERE staged_id IS NOT NULL;
CREATE INDEX jobs_account_idx ON jobs (account_id, created_at);
CREATE INDEX jobs_decision_idx ON jobs (decision_id) WHERE decision_id IS NOT NULL;
