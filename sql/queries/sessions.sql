-- Signed-in browsers: any process of any machine serves any session.

-- name: insert_session
INSERT INTO sessions (id_hash, account_id, expires_at, second_factor_pending, client, user_agent)
VALUES ($1, $2, now() + $3::interval, $4, $5, $6)

-- name: find_session
-- The session and its account, when the session is neither past its absolute lifetime nor
-- idle longer than $2, and its account is active; its last use is noted at most once a
-- minute (a write per page would be a write per click).
WITH found AS (
    SELECT s.id_hash, s.account_id, s.created_at, s.last_seen_at, s.expires_at,
           s.second_factor_pending
    FROM sessions AS s
    WHERE s.id_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - $2::interval
), touched AS (
    UPDATE sessions SET last_seen_at = now()
    WHERE id_hash = (SELECT id_hash FROM found) AND last_seen_at < now() - interval '1 minute'
)
SELECT f.id_hash, f.created_at, f.expires_at, f.second_factor_pending,
       a.id, a.username, a.display_name, a.role, a.issuer_code, a.password_temporary,
       a.totp_secret IS NOT NULL AS second_factor
FROM found AS f JOIN accounts AS a ON a.id = f.account_id
WHERE a.state = 'active'

-- name: complete_second_factor
UPDATE sessions SET second_factor_pending = false, last_seen_at = now()
WHERE id_hash = $1 AND second_factor_pending

-- name: delete_session
DELETE FROM sessions WHERE id_hash = $1 RETURNING account_id

-- name: delete_account_sessions
DELETE FROM sessions WHERE account_id = $1

-- name: delete_other_sessions
DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2

-- name: count_sessions
-- The account's signed-in sessions: not past their lifetime, not idle longer than $2, not
-- waiting for a second factor.
SELECT count(*) FROM sessions
WHERE account_id = $1 AND expires_at > now() AND last_seen_at > now() - $2::interval
  AND NOT second_factor_pending

-- name: purge_sessions
DELETE FROM sessions WHERE expires_at < now() OR last_seen_at < now() - $1::interval
