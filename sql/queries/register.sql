-- The register (sổ gốc): graduation decisions and their diplomas.

-- name: insert_decision
-- Registered at $12, the write's time: the instant its diplomas' signed records carry.
INSERT INTO graduation_decisions
    (id, issuer_code, number, decided_on, signer_name, signer_title, kind, regulation,
     graduate_count, deadline, late, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT ON CONSTRAINT graduation_decisions_number_key DO NOTHING
RETURNING id

-- name: existing_serials
SELECT serial FROM diplomas WHERE issuer_code = $1 AND kind = $2 AND serial = ANY ($3::text[])

-- name: allocate_register_numbers
-- Reserves $4 consecutive numbers and returns the last; the caller's numbers are
-- last - $4 + 1 .. last. The row stays locked until the transaction ends.
INSERT INTO register_counters AS c (issuer_code, kind, year, last_seq)
VALUES ($1, $2, $3, $4)
ON CONFLICT (issuer_code, kind, year) DO UPDATE SET last_seq = c.last_seq + excluded.last_seq
RETURNING last_seq

-- name: get_diploma
SELECT d.id, d.decision_id, d.issuer_code, d.kind, d.regulation, d.serial, d.register_year,
       d.register_seq, d.register_number, d.holder_name, d.date_of_birth, d.place_of_birth,
       d.gender, d.ethnicity, d.nationality, d.student_id, d.major, d.classification,
       d.mode_of_study, d.graduation_year, d.signer_name, d.signer_title,
       d.signer_on_behalf_of, d.place_of_issue, d.issued_on, d.issued_at, d.published, d.kid,
       d.signed, g.number AS decision_number, g.decided_on AS decision_date
FROM diplomas AS d JOIN graduation_decisions AS g ON g.id = d.decision_id
WHERE d.id = $1

-- name: get_decision
-- graduate_count: the sum of its parts' (0014_decision_parts); parts: how many.
SELECT g.id, g.issuer_code, g.number, g.decided_on, g.signer_name, g.signer_title, g.kind,
       g.regulation, p.graduate_count, p.parts, g.created_at, g.deadline, g.late
FROM graduation_decisions AS g,
LATERAL (SELECT sum(graduate_count)::int AS graduate_count, count(*)::int AS parts
         FROM decision_parts WHERE decision_id = g.id) AS p
WHERE g.id = $1

-- name: lock_decision
-- The decision, locked against another part registered at once (FOR NO KEY UPDATE: the
-- diplomas' foreign key checks still pass), with its next part's number.
SELECT g.id, g.issuer_code, g.number, g.decided_on, g.signer_name, g.signer_title, g.kind,
       g.regulation, g.deadline,
       (SELECT coalesce(max(part), 0) + 1 FROM decision_parts WHERE decision_id = g.id)
           AS next_part
FROM graduation_decisions AS g WHERE g.id = $1
FOR NO KEY UPDATE

-- name: insert_decision_part
-- Registered at $5, as insert_decision.
INSERT INTO decision_parts (decision_id, part, graduate_count, late, created_at)
VALUES ($1, $2, $3, $4, $5)

-- name: list_decision_diplomas
SELECT id, serial, register_number, holder_name
FROM diplomas WHERE decision_id = $1 ORDER BY register_year, register_seq

-- name: ping
SELECT 1

-- name: diploma_columns
-- The columns a register row is written with, in DiplomaRecord order plus kid and signed; the
-- bulk insert takes its column list from this statement's result columns.
SELECT id, decision_id, issuer_code, kind, regulation, serial, register_year, register_seq,
       register_number, holder_name, date_of_birth, place_of_birth, gender, ethnicity,
       nationality, student_id, major, classification, mode_of_study, graduation_year,
       signer_name, signer_title, signer_on_behalf_of, place_of_issue, issued_on, salt,
       issued_at, published, kid, signed
FROM diplomas LIMIT 0

-- name: list_decision_records
-- Everything a printed sheet needs, in register-number order.
SELECT d.id, d.issuer_code, d.kind, d.serial, d.register_number, d.holder_name,
       d.date_of_birth, d.place_of_birth, d.gender, d.major, d.classification,
       d.mode_of_study, d.graduation_year, d.signer_name, d.signer_title,
       d.signer_on_behalf_of, d.place_of_issue, d.issued_on, d.issued_at, d.kid, d.signed,
       d.regulation
FROM diplomas AS d WHERE d.decision_id = $1 ORDER BY d.register_year, d.register_seq

-- name: find_diplomas_for_checks
-- The diplomas of many QR checks at once (service/db/standing.py), each with its standing
-- (diploma_status: revocation, replacement, latest correction, log leaf), so the status costs
-- no second round trip. A check asks either by the SHA-256 of its token's bytes ($4), which
-- finds the diploma only when those bytes are a token the register issued (token_digests),
-- or by (serial, issuer, kind) as a verified token says ($1-$3); the other is NULL, which
-- matches nothing. The token's fields come with the row: for a recognised token they are
-- what its bytes say. `i` is the check's place in the arrays. Each branch is one index
-- lookup per check whatever the planner guesses of the arrays' length, so the generic plan
-- suits every batch.
SELECT k.i, f.*
FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[])
    WITH ORDINALITY AS k(serial, issuer_code, kind, digest, i)
CROSS JOIN LATERAL (
    SELECT d.id, d.issuer_code, d.kind, d.serial, d.register_number, d.holder_name,
           d.date_of_birth, d.graduation_year, d.major, d.classification, d.issued_at,
           d.place_of_birth, d.issued_on, d.kid, d.signed, s.*
    FROM diplomas AS d JOIN diploma_status AS s ON s.diploma_id = d.id
    WHERE d.id IN (
        SELECT t.diploma_id FROM token_digests AS t WHERE t.digest = k.digest
        UNION ALL
        SELECT x.id FROM diplomas AS x
        WHERE x.serial = k.serial AND x.issuer_code = k.issuer_code AND x.kind = k.kind
    )
) AS f

-- name: lookup_by_serial
-- Public lookup: every record with this serial (of one issuer when given), with its standing
-- as in find_diplomas_for_checks; the caller matches the date of birth (as printed, or as
-- corrected) and the published flag, so every miss costs the same.
SELECT d.id, d.issuer_code, i.name AS issuer_name, d.kind, d.serial, d.register_number,
       d.holder_name, d.date_of_birth, d.major, d.classification, d.issued_on, d.published,
       d.kid, d.signed, s.*
FROM diplomas AS d JOIN issuers AS i ON i.code = d.issuer_code
JOIN diploma_status AS s ON s.diploma_id = d.id
WHERE d.serial = $1 AND ($2::text IS NULL OR d.issuer_code = $2)

-- name: count_verifications
-- Adds the counts gathered since the last flush, one row per diploma; $3 is the flush's
-- time, which is within the flush interval of each diploma's last verification.
INSERT INTO verification_counts AS c (diploma_id, verifications, last_verified_at)
SELECT k.*, $3::timestamptz FROM unnest($1::uuid[], $2::bigint[]) AS k
ON CONFLICT (diploma_id) DO UPDATE
SET verifications = c.verifications + excluded.verifications,
    last_verified_at = greatest(c.last_verified_at, excluded.last_verified_at)

-- name: decision_graduate_count
SELECT sum(graduate_count)::int FROM decision_parts WHERE decision_id = $1

-- name: decision_diploma_count
-- What a printed decision has a page for: its diplomas, re-issued ones too.
SELECT count(*)::int FROM diplomas WHERE decision_id = $1

-- name: insert_token_digests
-- The digests of the QR tokens of diplomas just written, in their transaction: one statement
-- for a whole decision (0022_token_digests).
INSERT INTO token_digests (digest, diploma_id)
SELECT * FROM unnest($1::bytea[], $2::uuid[])
