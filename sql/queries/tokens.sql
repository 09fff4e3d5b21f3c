-- Opaque bearer tokens, stored only as SHA-256 hashes.

-- name: insert_token
INSERT INTO api_tokens (id, token_hash, role, issuer_code, label)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (token_hash) DO NOTHING

-- name: find_token
SELECT id, role, issuer_code FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL

-- name: list_tokens
SELECT id, role, issuer_code, label, created_at, revoked_at FROM api_tokens ORDER BY created_at

-- name: revoke_token
UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id
