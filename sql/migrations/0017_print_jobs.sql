-- A large decision's printable sheet made by a background job (docs/jobs.md): a second kind
-- of job, and the file it makes, kept for its person to download from the job's page. A file
-- is a result, not a record: it can be made again from the register, and old ones may go.
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('register_list', 'print_decision'));

CREATE TABLE job_files (
    job_id uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    media_type text NOT NULL,
    file_name text NOT NULL CHECK (length(file_name) <= 255),
    content bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- A person prints a decision once at a time: a second click while it is being made finds it.
CREATE UNIQUE INDEX jobs_printing_idx ON jobs (account_id, decision_id)
    WHERE kind = 'print_decision' AND state IN ('queued', 'running');
