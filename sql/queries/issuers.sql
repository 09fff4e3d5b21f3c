-- Issuing authorities and their hierarchy (ministry > department > district office > school).

-- name: insert_issuer
INSERT INTO issuers (code, name, kind, parent_code, register_number_pattern)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (code) DO NOTHING
RETURNING code

-- name: get_issuer
SELECT code, name, kind, parent_code, register_number_pattern, tracks_blanks
FROM issuers WHERE code = $1

-- name: list_issuers
SELECT code, name, kind, parent_code, register_number_pattern FROM issuers ORDER BY code

-- name: issuer_within
-- Is issuer $1 the issuer $2 itself or one of those under it? Walks up from $1.
WITH RECURSIVE chain (code, parent_code, depth) AS (
    SELECT code, parent_code, 0 FROM issuers WHERE code = $1
    UNION ALL
    SELECT i.code, i.parent_code, c.depth + 1
    FROM issuers AS i JOIN chain AS c ON i.code = c.parent_code
    WHERE c.depth < 32
)
SELECT EXISTS (SELECT 1 FROM chain WHERE code = $2)
