-- What /metrics reads from the database when scraped (service/http/metrics.py).

-- name: metrics_log
-- The issuance log: leaves, the latest checkpoint's size and age, the events waiting for
-- the sequencer and how long the oldest has waited.
SELECT (SELECT coalesce(max(idx) + 1, 0) FROM log_leaves) AS leaves,  -- gapless: by its index
       (SELECT coalesce(max(size), 0) FROM log_checkpoints) AS checkpoint_size,
       (SELECT extract(epoch FROM clock_timestamp() - max(created_at)) FROM log_checkpoints)
           AS checkpoint_age,
       (SELECT count(*) FROM log_queue) AS queued,
       (SELECT coalesce(extract(epoch FROM clock_timestamp() - min(enqueued_at)), 0)
        FROM log_queue) AS oldest_queued

-- name: metrics_jobs
-- Background jobs by kind and state.
SELECT kind, state, count(*) AS jobs FROM jobs GROUP BY kind, state
