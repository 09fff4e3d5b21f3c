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

-- name: change_own_password
-- The person's new password, unless the hash changed since they typed the old one (an
-- admin's reset in between wins).
UPDATE accounts SET password_hash = $3, password_temporary = false, password_changed_at = now()
WHERE id = $1 AND password_hash = $2
RETURNING id

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

-- name: lock_throttle
-- Holds the keys' locks until the transaction ends (keys sorted by the caller, so that two
-- attempts never wait on each other in a circle); answers the database's time.
SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS locked, now() AS now
FROM unnest($1::text[]) AS k

-- name: throttle_state
-- The failures recorded for each key, forgotten after a quiet day.
SELECT key, failures, last_failure_at FROM sign_in_throttle
WHERE key = ANY($1::text[]) AND last_failure_at > now() - interval '1 day'

-- name: record_failure
-- Counts an attempt (as a failure until it succeeds).
INSERT INTO sign_in_throttle AS t (key, failures, last_failure_at)
SELECT unnest($1::text[]), 1, now()
ON CONFLICT (key) DO UPDATE
SET failures = CASE WHEN t.last_failure_at > now() - interval '1 day' THEN t.failures + 1
                    ELSE 1 END,
    last_failure_at = now()

-- name: clear_failures
DELETE FROM sign_in_throttle WHERE key = ANY($1::text[])

-- name: forgive_attempt
-- A successful attempt no longer counts against a key it does not clear (a client network):
-- one off the count, and the last failure's time back to what it was before it ($2; NULL:
-- the row was new). (The DELETE reads the UPDATE's CTE on purpose: without a reference to
-- it PostgreSQL may run the DELETE first.)
WITH given AS (
    SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS g (key, before)
), less AS (
    UPDATE sign_in_throttle AS t
    SET failures = t.failures - 1, last_failure_at = coalesce(g.before, t.last_failure_at)
    FROM given AS g
    WHERE t.key = g.key AND t.failures > 1
    RETURNING t.key
)
DELETE FROM sign_in_throttle
WHERE key IN (SELECT key FROM given) AND failures = 1 AND key NOT IN (SELECT key FROM less)

-- name: purge_throttle
-- Rows another attempt holds are left for the next purge: a purge never waits on one.
DELETE FROM sign_in_throttle
WHERE key IN (
    SELECT key FROM sign_in_throttle WHERE last_failure_at < now() - interval '1 day'
    FOR UPDATE SKIP LOCKED
)

-- name: issuer_exists
SELECT EXISTS (SELECT 1 FROM issuers WHERE code = $1)

-- name: insert_device
INSERT INTO known_devices (id_hash, account_id) VALUES ($1, $2)

-- name: find_device
-- The account a known browser signed in to, noting its use.
UPDATE known_devices AS d SET last_used_at = now()
FROM accounts AS a
WHERE d.id_hash = $1 AND a.id = d.account_id AND d.last_used_at > now() - interval '1 year'
RETURNING a.username

-- name: forget_devices
-- An account's known browsers, forgotten (a reset, a disabling: whoever knew the password
-- loses the browser's exemption too).
DELETE FROM known_devices WHERE account_id = $1

-- name: purge_devices
DELETE FROM known_devices WHERE last_used_at < now() - interval '1 year'

-- name: clear_totp_secrets
-- Second-factor secrets still in the clear (enrolled before 0033_sealed_totp).
SELECT id, totp_secret FROM accounts WHERE totp_secret ~ '^[A-Z2-7]{32}$'

-- name: sealed_totp_secrets
SELECT totp_secret FROM accounts WHERE totp_secret LIKE 'sealed1:%'

-- name: seal_totp_secret
-- The clear secret $2 replaced by its sealed form $3, only if it is still the one read.
UPDATE accounts SET totp_secret = $3 WHERE id = $1 AND totp_secret = $2
