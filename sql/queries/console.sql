-- What the clerk's console home shows of the issuers $1 (docs/console.md).

-- name: console_recent_decisions
SELECT id, issuer_code, number, decided_on, kind,
       -- The sum of its parts (0014_decision_parts).
       (SELECT sum(p.graduate_count)::int FROM decision_parts AS p
        WHERE p.decision_id = graduation_decisions.id) AS graduate_count, deadline, late, created_at
FROM graduation_decisions
WHERE issuer_code = ANY($1::text[])
ORDER BY created_at DESC, id DESC
LIMIT $2

-- name: console_counts_by_kind
-- Diplomas issued in calendar year $2, by kind (re-issues count as issued again).
SELECT kind, count(*) AS diplomas, count(DISTINCT decision_id) AS decisions
FROM diplomas
WHERE issuer_code = ANY($1::text[]) AND register_year = $2
GROUP BY kind
ORDER BY kind

-- name: console_late_decisions
-- Decisions registered after their Art. 17 deadline since $2.
SELECT id, issuer_code, number, decided_on, kind,
       -- The sum of its parts (0014_decision_parts).
       (SELECT sum(p.graduate_count)::int FROM decision_parts AS p
        WHERE p.decision_id = graduation_decisions.id) AS graduate_count, deadline, created_at
FROM graduation_decisions
WHERE issuer_code = ANY($1::text[]) AND late AND created_at >= $2
ORDER BY created_at DESC, id DESC
LIMIT $3

-- name: console_issued_last_year
-- Diplomas of each kind issued in the 365 days to $2: what a year's stock of blanks must cover.
SELECT kind, count(*) AS diplomas
FROM diplomas
WHERE issuer_code = $1 AND issued_on > $2::date - 365 AND issued_on <= $2::date
GROUP BY kind

-- name: console_issuers
-- The issuers $1, or every issuer when $1 is NULL (an admin of every issuer).
SELECT code, name, tracks_blanks FROM issuers
WHERE $1::text[] IS NULL OR code = ANY($1::text[])
ORDER BY code

-- name: console_digital_missing
-- Decisions of the issuers $1 decided from $2 to $5 under the regulations $3 (those with
-- digital diplomas; $5: the latest whose deadline can be near) some of whose diplomas in
-- force (neither revoked nor replaced) have no digital diploma yet: how many are in force
-- and how many lack one, oldest decision first. The caller works out each one's deadline
-- (regulations.toml) and keeps those near or past it. A decision whose digital-diplomas job
-- is done, queued once all its parts were in and after its last re-issue, has them all (the
-- job makes every diploma in force it reads at its start): its diplomas are not read.
WITH candidates AS (
    SELECT g.id, g.issuer_code, g.number, g.decided_on, g.kind, g.regulation
    FROM graduation_decisions AS g
    WHERE g.issuer_code = ANY($1::text[]) AND g.decided_on BETWEEN $2 AND $5
      AND g.regulation = ANY($3::text[])
      AND NOT EXISTS (
          SELECT 1 FROM jobs AS j
          WHERE j.decision_id = g.id AND j.kind = 'digital_diplomas' AND j.state = 'done'
            -- Queued once every part was in: it counted all of the decision's graduates.
            AND j.total_rows >= (SELECT sum(p.graduate_count) FROM decision_parts AS p
                                 WHERE p.decision_id = g.id)
            -- The register's times are whole seconds: a second's margin.
            AND NOT EXISTS (
                SELECT 1 FROM reissues AS x JOIN diplomas AS o ON o.id = x.old_diploma_id
                WHERE o.decision_id = g.id
                  AND x.recorded_at + interval '1 second' > j.created_at
            )
      )
)
SELECT c.id, c.issuer_code, c.number, c.decided_on, c.kind, c.regulation,
       count(*)::int AS in_force, count(*) FILTER (WHERE m.made IS NULL)::int AS missing
FROM candidates AS c
JOIN diplomas AS d ON d.decision_id = c.id
LEFT JOIN LATERAL (
    SELECT true AS made FROM digital_diplomas AS x WHERE x.diploma_id = d.id LIMIT 1
) AS m ON true
WHERE NOT EXISTS (SELECT 1 FROM revocations AS r WHERE r.diploma_id = d.id)
  AND NOT EXISTS (SELECT 1 FROM reissues AS x WHERE x.old_diploma_id = d.id)
GROUP BY c.id, c.issuer_code, c.number, c.decided_on, c.kind, c.regulation
HAVING count(*) FILTER (WHERE m.made IS NULL) > 0
ORDER BY c.decided_on, c.number
LIMIT $4

-- name: decision_digital_progress
-- A decision's diplomas in force (neither revoked nor replaced), and how many of those have
-- a digital diploma.
SELECT count(*)::int AS in_force,
       count(*) FILTER (
           WHERE EXISTS (SELECT 1 FROM digital_diplomas AS x WHERE x.diploma_id = d.id)
       )::int AS made
FROM diplomas AS d
WHERE d.decision_id = $1
  AND NOT EXISTS (SELECT 1 FROM revocations AS r WHERE r.diploma_id = d.id)
  AND NOT EXISTS (SELECT 1 FROM reissues AS x WHERE x.old_diploma_id = d.id)
