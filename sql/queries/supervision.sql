-- What an auditor's overview shows of the issuers $1 in the year [$2, $3) (docs/audit.md).

-- name: supervision_issued
-- Diplomas registered in the year, by issuer, kind and month (Vietnam time).
SELECT issuer_code, kind,
       extract(month FROM issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::integer AS month,
       count(*) AS diplomas
FROM diplomas
WHERE issuer_code = ANY($1::text[]) AND issued_at >= $2 AND issued_at < $3
GROUP BY issuer_code, kind, month

-- name: supervision_activity
-- Per issuer: the decisions registered in the year and how many of them late (Art. 17), and
-- the corrections and revocations recorded in it.
SELECT i.code AS issuer_code,
       (SELECT count(*) FROM graduation_decisions AS g
        WHERE g.issuer_code = i.code AND g.created_at >= $2 AND g.created_at < $3) AS decisions,
       (SELECT count(*) FROM graduation_decisions AS g
        WHERE g.issuer_code = i.code AND g.late
          AND g.created_at >= $2 AND g.created_at < $3) AS late,
       (SELECT count(*) FROM corrections AS c JOIN diplomas AS d ON d.id = c.diploma_id
        WHERE d.issuer_code = i.code
          AND c.recorded_at >= $2 AND c.recorded_at < $3) AS corrections,
       (SELECT count(*) FROM revocations AS r JOIN diplomas AS d ON d.id = r.diploma_id
        WHERE d.issuer_code = i.code
          AND r.recorded_at >= $2 AND r.recorded_at < $3) AS revocations
FROM issuers AS i
WHERE i.code = ANY($1::text[])

-- name: supervision_roots
-- The issuers at the top of the hierarchy (what an admin of every issuer oversees).
SELECT code FROM issuers WHERE parent_code IS NULL ORDER BY code

-- name: supervision_add_review
INSERT INTO anomaly_reviews (anomaly_key, issuer_code, account_id, note)
VALUES ($1, $2, $3, $4)

-- name: supervision_reviews
-- The latest review of each of the anomalies $1, with its reviewer's name.
SELECT DISTINCT ON (r.anomaly_key) r.anomaly_key, r.note, r.reviewed_at,
       a.display_name AS reviewer
FROM anomaly_reviews AS r JOIN accounts AS a ON a.id = r.account_id
WHERE r.anomaly_key = ANY($1::text[])
ORDER BY r.anomaly_key, r.reviewed_at DESC, r.id DESC
