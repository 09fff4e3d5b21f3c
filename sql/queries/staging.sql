-- Graduate lists checked in the clerk's console and kept until confirmed (0010).

-- name: insert_staged
INSERT INTO staged_decisions (id, account_id, issuer_code, file_name, request, locator,
                              preview, decision_number, decided_on, kind, graduate_count,
                              deadline, expires_at, personal_ids)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now() + $13::interval, $14)

-- name: get_staged
-- One of the account's own checked lists (another's, or an expired one, is not found).
SELECT id, issuer_code, file_name, request, locator, preview, decision_number, decided_on, kind,
       graduate_count, deadline, state, decision_id, created_at, expires_at, personal_ids
FROM staged_decisions
WHERE id = $1 AND account_id = $2 AND (state = 'registered' OR expires_at > now())

-- name: mark_staged_registered
UPDATE staged_decisions SET state = 'registered', decision_id = $2
WHERE id = $1 AND state = 'checked'

-- name: cancel_staged
UPDATE staged_decisions SET state = 'cancelled' WHERE id = $1 AND account_id = $2
  AND state = 'checked'

-- name: pending_staged
-- The lists of issuers $1 checked and not yet confirmed, the nearest deadline first.
SELECT s.id, s.issuer_code, s.file_name, s.decision_number, s.decided_on, s.kind,
       s.graduate_count, s.deadline, s.created_at, a.display_name
FROM staged_decisions AS s
JOIN accounts AS a ON a.id = s.account_id
WHERE s.issuer_code = ANY($1::text[]) AND s.state = 'checked' AND s.expires_at > now()
ORDER BY s.deadline, s.created_at
LIMIT $2

-- name: purge_staged
DELETE FROM staged_decisions WHERE state <> 'registered' AND expires_at < now() - interval '1 day'
