-- Finding decisions and diplomas within a reader's issuers $1 (docs/console.md): filtered,
-- newest first, a page at a time after a keyset cursor.

-- name: search_issuers_under
-- The issuer $1 and every issuer under it.
WITH RECURSIVE subtree (code, depth) AS (
    SELECT code, 0 FROM issuers WHERE code = $1
    UNION ALL
    SELECT i.code, s.depth + 1 FROM issuers AS i JOIN subtree AS s ON i.parent_code = s.code
    WHERE s.depth < 32
)
SELECT code FROM subtree ORDER BY code

-- name: search_all_issuers
SELECT code FROM issuers ORDER BY code

-- name: search_decisions
-- The decisions of issuers $1 whose number contains $2 (lower case; NULL: any), of kind $3,
-- decided in year $4, newest decided first, after ($5 decided_on, $6 id); at most $7. Each
-- issuer's along its index in order, as search_diplomas reads them.
SELECT p.* FROM unnest($1::text[]) AS s (code)
CROSS JOIN LATERAL (
    SELECT id, issuer_code, number, decided_on, kind,
           -- The sum of its parts (0014_decision_parts).
           (SELECT sum(d.graduate_count)::int FROM decision_parts AS d
            WHERE d.decision_id = graduation_decisions.id) AS graduate_count,
           deadline, late, created_at
    FROM graduation_decisions
    WHERE issuer_code = s.code
      AND ($2::text IS NULL OR strpos(lower(number), $2) > 0)
      AND ($3::text IS NULL OR kind = $3)
      AND ($4::int IS NULL OR (decided_on >= make_date($4, 1, 1)
                               AND decided_on < make_date($4 + 1, 1, 1)))
      AND ($5::date IS NULL OR (decided_on, id) < ($5, $6::uuid))
    ORDER BY decided_on DESC, id DESC
    LIMIT $7
) AS p
ORDER BY p.decided_on DESC, p.id DESC
LIMIT $7

-- name: search_diplomas
-- The diplomas of issuers $1, newest registered first, after ($12 issued_at, $13 id); at most
-- $14; filtered by the date of birth $5 (as registered or as corrected), kind $6, graduation
-- year $7, state $8 (diploma_state()), decision $9, handed over $10 (false: not handed over
-- and still in force, so still to hand over) and registered before $11. $2..$4 are the
-- search box's, which search_diplomas_found takes; here they are NULL. Each issuer's are
-- read newest first along its index, stopping at a page: a scan of one issuer's index in
-- order, where `issuer_code = ANY($1)` would sort every row of every issuer.
SELECT p.id, p.issuer_code, p.kind, p.serial, p.register_number, p.holder_name,
       p.date_of_birth, p.graduation_year, p.issued_on, p.issued_at,
       p.decision_id, g.number AS decision_number, g.decided_on AS decision_date,
       diploma_state(p.id) AS state, h.handed_over_on
FROM unnest($1::text[]) AS s (code)
CROSS JOIN LATERAL (
    SELECT d.id, d.issuer_code, d.kind, d.serial, d.register_number, d.holder_name,
           d.date_of_birth, d.graduation_year, d.issued_on, d.issued_at, d.decision_id
    FROM diplomas AS d
    WHERE d.issuer_code = s.code
      AND $2::text IS NULL AND $3::text IS NULL AND $4::text IS NULL
      AND ($5::date IS NULL OR d.date_of_birth = $5 OR EXISTS (
          SELECT 1 FROM corrections AS c
          WHERE c.diploma_id = d.id AND c.current ->> 'date_of_birth' = $5::date::text))
      AND ($6::text IS NULL OR d.kind = $6)
      AND ($7::int IS NULL OR d.graduation_year = $7)
      AND ($8::text IS NULL OR diploma_state(d.id) = $8)
      AND ($9::uuid IS NULL OR d.decision_id = $9)
      AND ($10::boolean IS NULL
           OR ($10 AND EXISTS (SELECT 1 FROM handovers WHERE diploma_id = d.id))
           OR (NOT $10 AND NOT EXISTS (SELECT 1 FROM handovers WHERE diploma_id = d.id)
               AND diploma_state(d.id) IN ('in_force', 'corrected')))
      AND ($11::timestamptz IS NULL OR d.issued_at < $11)
      AND ($12::timestamptz IS NULL OR (d.issued_at, d.id) < ($12, $13::uuid))
    ORDER BY d.issued_at DESC, d.id DESC
    LIMIT $14
) AS p
JOIN graduation_decisions AS g ON g.id = p.decision_id
LEFT JOIN handovers AS h ON h.diploma_id = p.id
ORDER BY p.issued_at DESC, p.id DESC
LIMIT $14

-- name: search_diplomas_found
-- As search_diplomas, for what the search box finds: a folded name from its start (the
-- range $2 <= name < $3 in byte order, as registered or as corrected), or a serial or
-- register number ($4, lower case), each through its index; then filtered and sorted.
WITH hits AS (
    SELECT id FROM diplomas
    WHERE issuer_code = ANY($1::text[])
      AND fold_vi(holder_name) ~>=~ $2::text AND fold_vi(holder_name) ~<~ $3::text
    UNION
    SELECT diploma_id FROM corrections
    WHERE issuer_code = ANY($1::text[])
      AND fold_vi(current ->> 'holder_name') ~>=~ $2::text
      AND fold_vi(current ->> 'holder_name') ~<~ $3::text
    UNION
    SELECT id FROM diplomas
    WHERE issuer_code = ANY($1::text[]) AND lower(serial) = $4::text
    UNION
    SELECT id FROM diplomas
    WHERE issuer_code = ANY($1::text[]) AND lower(register_number) = $4::text
)
SELECT p.id, p.issuer_code, p.kind, p.serial, p.register_number, p.holder_name,
       p.date_of_birth, p.graduation_year, p.issued_on, p.issued_at,
       p.decision_id, g.number AS decision_number, g.decided_on AS decision_date,
       diploma_state(p.id) AS state, h.handed_over_on
FROM (
    SELECT d.id, d.issuer_code, d.kind, d.serial, d.register_number, d.holder_name,
           d.date_of_birth, d.graduation_year, d.issued_on, d.issued_at, d.decision_id
    FROM hits JOIN diplomas AS d ON d.id = hits.id
    WHERE true
      AND ($5::date IS NULL OR d.date_of_birth = $5 OR EXISTS (
          SELECT 1 FROM corrections AS c
          WHERE c.diploma_id = d.id AND c.current ->> 'date_of_birth' = $5::date::text))
      AND ($6::text IS NULL OR d.kind = $6)
      AND ($7::int IS NULL OR d.graduation_year = $7)
      AND ($8::text IS NULL OR diploma_state(d.id) = $8)
      AND ($9::uuid IS NULL OR d.decision_id = $9)
      AND ($10::boolean IS NULL
           OR ($10 AND EXISTS (SELECT 1 FROM handovers WHERE diploma_id = d.id))
           OR (NOT $10 AND NOT EXISTS (SELECT 1 FROM handovers WHERE diploma_id = d.id)
               AND diploma_state(d.id) IN ('in_force', 'corrected')))
      AND ($11::timestamptz IS NULL OR d.issued_at < $11)
      AND ($12::timestamptz IS NULL OR (d.issued_at, d.id) < ($12, $13::uuid))
    ORDER BY d.issued_at DESC, d.id DESC
    LIMIT $14
) AS p
JOIN graduation_decisions AS g ON g.id = p.decision_id
LEFT JOIN handovers AS h ON h.diploma_id = p.id
ORDER BY p.issued_at DESC, p.id DESC
LIMIT $14

-- name: search_awaiting_handover
-- How many diplomas of issuers $1 registered before $2 are still to hand over: in force,
-- and no handover recorded (service/domain/attention.py).
SELECT count(*) FROM diplomas AS d
WHERE d.issuer_code = ANY($1::text[]) AND d.issued_at < $2
  AND NOT EXISTS (SELECT 1 FROM handovers WHERE diploma_id = d.id)
  AND diploma_state(d.id) IN ('in_force', 'corrected')
