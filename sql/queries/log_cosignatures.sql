-- Witnesses' cosignatures of the issuance log's checkpoints (service/tlog/witnessing.py).

-- name: log_witnessing_lock
-- One process at a time asks the witnesses (a session lock, held while it waits for them).
SELECT pg_try_advisory_lock(7346291840554)

-- name: log_witnessing_unlock
SELECT pg_advisory_unlock(7346291840554)

-- name: log_witnessed_sizes
-- The largest size each witness cosigned: the old size of its next request.
SELECT witness, max(size) AS size FROM log_cosignatures GROUP BY witness

-- name: log_insert_cosignature
INSERT INTO log_cosignatures (size, witness, line, cosigned_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (size, witness) DO NOTHING

-- name: log_cosignature_lines
SELECT line FROM log_cosignatures WHERE size = $1 ORDER BY witness

-- name: log_latest_cosignatures
-- Each witness's latest cosignature: what the issuance log page shows.
SELECT DISTINCT ON (witness) witness, size, cosigned_at
FROM log_cosignatures ORDER BY witness, size DESC

-- name: log_cosigned_sizes
-- The 64 latest checkpoints above leaf $1 that witnesses cosigned, with how many of them did
-- (newest first, by primary key): the one an offline proof of that leaf is made against.
SELECT size, count(*) AS witnesses FROM log_cosignatures WHERE size > $1
GROUP BY size ORDER BY size DESC LIMIT 64
