-- The results of `vanbang audit verify` (0019_log_audit_runs.sql), for the issuance log page.

-- name: log_audit_insert
INSERT INTO log_audit_runs
    (started_at, finished_at, tree_size, root, checkpoints, events, ok, problem_count, problems,
     how)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)

-- name: log_audit_latest
SELECT started_at, finished_at, tree_size, root, checkpoints, events, problem_count,
       problems::text AS problems, how
FROM log_audit_runs ORDER BY finished_at DESC, id DESC LIMIT $1
