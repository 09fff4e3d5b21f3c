-- Lifecycle events of a diploma (Circular 21, Art. 21-32): revocations so far.

-- name: insert_revocation
-- Returns no row when the diploma already has a revocation.
INSERT INTO revocations (id, diploma_id, issuer_code, decision_number, decided_on, authority,
                         ground, reason, kid, signed, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (diploma_id) DO NOTHING
RETURNING id

-- name: revocation_of
SELECT id, diploma_id, issuer_code, decision_number, decided_on, authority, ground, reason,
       recorded_at
FROM revocations WHERE diploma_id = $1

-- name: issuer_revocations
-- Published as the Circular requires: every revocation decision of an issuer, newest first.
SELECT r.id, r.decision_number, r.decided_on, r.authority, r.ground, r.reason, r.recorded_at,
       d.serial, d.register_number, d.kind, d.holder_name
FROM revocations AS r JOIN diplomas AS d ON d.id = r.diploma_id
WHERE r.issuer_code = $1
ORDER BY r.decided_on DESC, r.recorded_at DESC
LIMIT $2
