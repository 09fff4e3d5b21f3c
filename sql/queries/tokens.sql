-- Bearer tokens, stored only as SHA-256 hashes: the operator's (no account) and personal
-- ones, which take their person's role and scope, and stop with their person.

-- name: insert_token
INSERT INTO api_tokens (id, token_hash, role, issuer_code, label, account_id, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (token_hash) DO NOTHING

-- name: find_token
-- The token's principal; its last use is noted at most once a minute.
WITH found AS (
    SELECT t.id, t.account_id,
           coalesce(a.role, t.role) AS role,
           CASE WHEN t.account_id IS NULL THEN t.issuer_code ELSE a.issuer_code END AS issuer_code,
           a.username
    FROM api_tokens AS t
    LEFT JOIN accounts AS a ON a.id = t.account_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL
      AND (t.expires_at IS NULL OR t.expires_at > now())
      AND (t.account_id IS NULL OR a.state = 'active')
), touched AS (
    UPDATE api_tokens SET last_used_at = now()
    WHERE id = (SELECT id FROM found)
      AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
)
SELECT id, account_id, role, issuer_code, username FROM found

-- name: list_tokens
SELECT t.id, t.role, t.issuer_code, t.label, t.created_at, t.revoked_at, t.expires_at,
       t.last_used_at, a.username
FROM api_tokens AS t LEFT JOIN accounts AS a ON a.id = t.account_id
ORDER BY t.created_at

-- name: list_account_tokens
SELECT id, label, created_at, expires_at, last_used_at, revoked_at
FROM api_tokens WHERE account_id = $1
ORDER BY revoked_at IS NOT NULL, created_at DESC

-- name: revoke_token
UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id

-- name: revoke_account_token
UPDATE api_tokens SET revoked_at = now()
WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL
RETURNING id

-- name: revoke_all_account_tokens
UPDATE api_tokens SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL
RETURNING id
