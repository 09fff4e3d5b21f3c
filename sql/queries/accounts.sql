-- Staff accounts, their recovery codes and the throttle of failed sign-ins.

-- name: insert_account
INSERT INTO accounts (id, username, display_name, role, issuer_code, password_hash,
                      password_temporary, created_by, demo)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (username) DO NOTHING
RETURNING id

-- name: get_account
SELECT id, username, display_name, role, issuer_code, state, password_hash, password_temporary,
       password_changed_at, totp_secret, totp_last_step, created_by, created_at,
       state_changed_at, demo
FROM accounts WHERE id = $1

-- name: get_account_by_username
SELECT id, username, display_name, role, issuer_code, state, password_hash, password_temporary,
       password_changed_at, totp_secret, totp_last_step, created_by, created_at,
       state_changed_at, demo
FROM accounts WHERE username = $1

-- name: lock_account
SELECT id, username, display_name, role, issuer_code, state, password_hash, password_temporary,
       password_changed_at, totp_secret, totp_last_step, created_by, created_at,
       state_changed_at, demo
FROM accounts WHERE id = $1 FOR UPDATE

-- name: list_accounts
-- Every account, or those of the issuers under $1 (itself included) when $1 is not NULL;
-- only account $2 when $2 is not NULL.
WITH RECURSIVE subtree (code, depth) AS (
    SELECT code, 0 FROM issuers WHERE code = $1
    UNION ALL
    SELECT i.code, s.depth + 1 FROM issuers AS i JOIN subtree AS s ON i.parent_code = s.code
    WHERE s.depth < 32
)
SELECT a.id, a.username, a.display_name, a.role, a.issuer_code, a.state, a.password_temporary,
       a.totp_secret IS NOT NULL AS second_factor, a.created_by, c.username AS created_by_username,
       a.created_at, a.state_changed_at,
       (SELECT max(s.last_seen_at) FROM sessions AS s WHERE s.account_id = a.id) AS last_seen_at
FROM accounts AS a
LEFT JOIN accounts AS c ON c.id = a.created_by
WHERE ($1::text IS NULL OR a.issuer_code IN (SELECT code FROM subtree))
  AND ($2::uuid IS NULL OR a.id = $2)
ORDER BY a.issuer_code NULLS FIRST, a.username

-- name: set_account_state
UPDATE accounts SET state = $2, state_changed_at = now()
WHERE id = $1 AND state <> $2
RETURNING id

-- name: set_password
UPDATE accounts SET password_hash = $2, password_temporary = $3, password_changed_at = now()
WHERE id = $1

-- name: rehash_password
-- A hash made with older parameters, replaced at a sign-in (the password is unchanged).
UPDATE accounts SET password_hash = $2 WHERE id = $1 AND password_hash = $3

-- name: set_totp
UPDATE accounts SET totp_secret = $2, totp_last_step = $3 WHERE id = $1

-- name: use_totp_step
-- Accepts a code's time step once: a second use of the same or an earlier step updates nothing.
UPDATE accounts SET totp_last_step = $2
WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)
RETURNING id

-- name: demo_accounts
SELECT id, username, state FROM accounts WHERE demo OR username = ANY($1::text[])

-- name: delete_recovery_codes
DELETE FROM recovery_codes WHERE account_id = $1

-- name: insert_recovery_codes
INSERT INTO recovery_codes (account_id, code_hash) SELECT $1, unnest($2::bytea[])

-- name: use_recovery_code
UPDATE recovery_codes SET used_at = now()
WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL
RETURNING (SELECT count(*) - 1 FROM recovery_codes
           WHERE account_id = $1 AND used_at IS NULL) AS left_over

-- name: throttle_state
-- The failures recorded for each key, forgotten after a quiet day.
SELECT key, failures, last_failure_at FROM sign_in_throttle
WHERE key = ANY($1::text[]) AND last_failure_at > now() - interval '1 day'

-- name: record_failure
INSERT INTO sign_in_throttle AS t (key, failures, last_failure_at)
SELECT unnest($1::text[]), 1, now()
ON CONFLICT (key) DO UPDATE
SET failures = CASE WHEN t.last_failure_at > now() - interval '1 day' THEN t.failures + 1
                    ELSE 1 END,
    last_failure_at = now()

-- name: clear_failures
DELETE FROM sign_in_throttle WHERE key = ANY($1::text[])

-- name: purge_throttle
DELETE FROM sign_in_throttle WHERE last_failure_at < now() - interval '1 day'

-- name: issuer_exists
SELECT EXISTS (SELECT 1 FROM issuers WHERE code = $1)
