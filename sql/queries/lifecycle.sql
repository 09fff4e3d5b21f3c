-- Lifecycle events of a diploma (Circular 21, Art. 18-32): revocations, corrections,
-- re-issues and certified copies. Blank forms are in blanks.sql.

-- name: lock_diploma
-- Serialises the lifecycle events of one diploma until the transaction ends. FOR NO KEY
-- UPDATE, so that the foreign-key checks of other rows referring to it are not blocked.
SELECT id FROM diplomas WHERE id = $1 FOR NO KEY UPDATE

-- name: diploma_state
-- What stands in the way of an event (a revocation, a replacement) and the latest correction.
SELECT (SELECT r.decision_number FROM revocations AS r WHERE r.diploma_id = $1)
           AS revoked_decision,
       (SELECT x.new_diploma_id FROM reissues AS x WHERE x.old_diploma_id = $1) AS replaced_by,
       c.version, c.current, c.record_signed
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT version, current, record_signed FROM corrections
    WHERE diploma_id = $1 ORDER BY version DESC LIMIT 1
) AS c ON true

-- name: insert_revocation
-- Returns no row when the diploma already has a revocation.
INSERT INTO revocations (id, diploma_id, issuer_code, decision_number, decided_on, authority,
                         ground, reason, kid, signed, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (diploma_id) DO NOTHING
RETURNING id

-- name: revocation_of
SELECT id, decision_number, decided_on, authority, ground, reason, recorded_at
FROM revocations WHERE diploma_id = $1

-- name: issuer_revocations
-- Published as the Circular requires: every revocation decision of an issuer, newest first.
SELECT r.id, r.decision_number, r.decided_on, r.authority, r.ground, r.reason, r.recorded_at,
       d.serial, d.register_number, d.kind,
       coalesce(c.current ->> 'holder_name', d.holder_name) AS holder_name
FROM revocations AS r JOIN diplomas AS d ON d.id = r.diploma_id
LEFT JOIN LATERAL (
    SELECT current FROM corrections WHERE diploma_id = d.id ORDER BY version DESC LIMIT 1
) AS c ON true
WHERE r.issuer_code = $1
ORDER BY r.decided_on DESC, r.recorded_at DESC
LIMIT $2


-- name: insert_correction
INSERT INTO corrections (id, diploma_id, version, issuer_code, decision_number, decided_on,
                         signer_name, signer_title, ground, reason, changes, current, kid,
                         record_signed, signed, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)

-- name: diploma_corrections
-- The register appendix of one diploma, oldest first.
SELECT id, version, decision_number, decided_on, signer_name, signer_title, ground, reason,
       changes, recorded_at
FROM corrections WHERE diploma_id = $1 ORDER BY version

-- name: insert_reissue
INSERT INTO reissues (id, old_diploma_id, new_diploma_id, issuer_code, reason, changes, kid,
                      signed, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)

-- name: diploma_reissues
-- The re-issue that replaced a diploma, and the one it came from.
SELECT x.id, x.old_diploma_id, o.serial AS old_serial, x.new_diploma_id, n.serial AS new_serial,
       x.reason, x.changes, x.recorded_at
FROM reissues AS x
JOIN diplomas AS o ON o.id = x.old_diploma_id
JOIN diplomas AS n ON n.id = x.new_diploma_id
WHERE x.old_diploma_id = $1 OR x.new_diploma_id = $1

-- name: allocate_copy_number
-- The next number of the issuer's copy register for the year; the counter row stays locked
-- until commit, so concurrent copies queue and a rolled-back one leaves no gap.
INSERT INTO copy_counters AS c (issuer_code, year, last_seq)
VALUES ($1, $2, 1)
ON CONFLICT (issuer_code, year) DO UPDATE SET last_seq = c.last_seq + 1
RETURNING last_seq

-- name: insert_copy
INSERT INTO certified_copies (id, diploma_id, issuer_code, year, seq, number, requester_name,
                              relation, id_document_type, id_document_number, copies,
                              issued_on, kid, signed, recorded_at, form, version, content,
                              signer_name, signer_title, signer_on_behalf_of)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
        $20, $21)

-- name: diploma_copies
SELECT id, number, requester_name, relation, id_document_type, copies, issued_on, recorded_at,
       form, content IS NOT NULL AS printable
FROM certified_copies WHERE diploma_id = $1 ORDER BY year, seq

-- name: copy_document
-- What a certified copy prints: the entry of diploma $1's copy register with id $2.
SELECT c.id, c.diploma_id, c.issuer_code, i.name AS issuer_name, c.number, c.requester_name,
       c.relation, c.copies, c.issued_on, c.form, c.version, c.content, c.signer_name,
       c.signer_title, c.signer_on_behalf_of, c.kid, c.signed, c.recorded_at,
       k.issuer_code AS holder_code
FROM certified_copies AS c
JOIN issuers AS i ON i.code = c.issuer_code
JOIN issuer_keys AS k ON k.kid = c.kid
WHERE c.diploma_id = $1 AND c.id = $2

-- name: copy_extract
-- An electronic extract's signed PDF, once made (0031_copy_extracts).
SELECT pdf, level FROM copy_extracts WHERE copy_id = $1

-- name: save_copy_extract
-- The first PDF made for an extract is the one kept: a second one made meanwhile is dropped.
INSERT INTO copy_extracts (copy_id, pdf, sha256, level) VALUES ($1, $2, $3, $4)
ON CONFLICT (copy_id) DO NOTHING

-- name: find_copy
-- The copy register's entry a copy's QR code names: by its issuer and number.
SELECT id, diploma_id, number, issued_on, signed
FROM certified_copies WHERE issuer_code = $1 AND number = $2

-- name: decision_states
-- The diplomas of decision $1 no longer as registered, and how (the order of standing():
-- a revocation outranks a replacement, which outranks a correction).
SELECT s.diploma_id,
       CASE WHEN s.revoked_decision IS NOT NULL THEN 'revoked'
            WHEN s.replaced_by_serial IS NOT NULL THEN 'replaced'
            ELSE 'corrected' END AS state
FROM diplomas AS d
JOIN diploma_status AS s ON s.diploma_id = d.id
WHERE d.decision_id = $1
  AND (s.revoked_decision IS NOT NULL OR s.replaced_by_serial IS NOT NULL
       OR s.corrected_version IS NOT NULL)
