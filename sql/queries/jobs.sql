-- Background jobs (docs/jobs.md): our jobs table, what the person who started one sees, and
-- the queue row procrastinate's workers take, inserted in the same transaction.

-- name: insert_job
-- One job per checked list: a second confirmation inserts nothing and finds the first.
INSERT INTO jobs (id, account_id, issuer_code, kind, total_rows, staged_id)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (staged_id) WHERE staged_id IS NOT NULL DO NOTHING
RETURNING id

-- name: job_of_staged
SELECT id FROM jobs WHERE staged_id = $1

-- name: queue_job
-- procrastinate's own defer function (what its Task.defer calls), so that the queue row
-- commits with ours: $1 queue, $2 task name, $3 the queueing lock, $4 the task's arguments.
SELECT (procrastinate_defer_jobs_v1(
    ARRAY[ROW($1, $2, 0, NULL, $3, $4::jsonb, NULL)::procrastinate_job_to_defer_v1]
))[1]

-- name: set_queue_job
UPDATE jobs SET queue_job_id = $2 WHERE id = $1

-- name: get_job
SELECT id, account_id, issuer_code, kind, state, done_rows, total_rows, staged_id,
       decision_id, document, error_vi, error_en, created_at, updated_at, finished_at
FROM jobs WHERE id = $1

-- name: decision_job
-- The last job that registered (or is registering) the decision.
SELECT id, account_id, issuer_code, kind, state, done_rows, total_rows, staged_id,
       decision_id, document, error_vi, error_en, created_at, updated_at, finished_at
FROM jobs WHERE decision_id = $1 AND kind = 'register_list' ORDER BY created_at DESC LIMIT 1

-- name: start_job
UPDATE jobs SET state = 'running', updated_at = now()
WHERE id = $1 AND state IN ('queued', 'running')
RETURNING id

-- name: job_progress
UPDATE jobs SET done_rows = $2, decision_id = $3, updated_at = now() WHERE id = $1

-- name: print_progress
-- A print job's pages done of its pages in all (its decision's diplomas when it runs: a
-- re-issue since it was queued adds one).
UPDATE jobs SET done_rows = $2, total_rows = $3, updated_at = now() WHERE id = $1

-- name: finish_job
UPDATE jobs SET state = 'done', done_rows = total_rows, updated_at = now(), finished_at = now()
WHERE id = $1

-- name: fail_job
UPDATE jobs SET state = 'failed', error_vi = $2, error_en = $3, updated_at = now(),
                finished_at = now()
WHERE id = $1

-- name: job_principal
-- Who a job acts as: the person who started it, if still active.
SELECT id, role, issuer_code, username FROM accounts WHERE id = $1 AND state = 'active'

-- name: insert_print_job
-- The person's print of the decision's document ($6): a second one while the first is being
-- made inserts nothing (jobs_printing_idx) and finds the first.
INSERT INTO jobs (id, account_id, issuer_code, kind, total_rows, decision_id, document)
VALUES ($1, $2, $3, 'print_decision', $4, $5, $6)
ON CONFLICT (account_id, decision_id, document)
    WHERE kind = 'print_decision' AND state IN ('queued', 'running') DO NOTHING
RETURNING id

-- name: printing_job
SELECT id FROM jobs
WHERE account_id = $1 AND decision_id = $2 AND document = $3 AND kind = 'print_decision'
  AND state IN ('queued', 'running')

-- name: save_job_file
INSERT INTO job_files (job_id, media_type, file_name, content) VALUES ($1, $2, $3, $4)
ON CONFLICT (job_id) DO UPDATE SET media_type = $2, file_name = $3, content = $4

-- name: job_file
SELECT media_type, file_name, content FROM job_files WHERE job_id = $1

-- name: insert_digital_job
-- A decision's digital diplomas: a second ask while they are being made finds the first.
INSERT INTO jobs (id, account_id, issuer_code, kind, total_rows, decision_id)
VALUES ($1, $2, $3, 'digital_diplomas', $4, $5)
ON CONFLICT (decision_id) WHERE kind = 'digital_diplomas' AND state IN ('queued', 'running')
DO NOTHING
RETURNING id

-- name: digital_job
SELECT id FROM jobs
WHERE decision_id = $1 AND kind = 'digital_diplomas' AND state IN ('queued', 'running')
