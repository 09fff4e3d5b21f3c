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
