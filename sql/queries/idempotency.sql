-- Idempotency-Key bookkeeping for registering requests.

-- name: claim_idempotency_key
-- Waits while another transaction holds the same key; returns no row when the key is taken.
INSERT INTO idempotency_keys (owner, key, request_hash)
VALUES ($1, $2, $3)
ON CONFLICT (owner, key) DO NOTHING
RETURNING true

-- name: get_idempotency_key
SELECT request_hash, response_status, response_body
FROM idempotency_keys WHERE owner = $1 AND key = $2

-- name: complete_idempotency_key
UPDATE idempotency_keys SET response_status = $3, response_body = $4
WHERE owner = $1 AND key = $2
