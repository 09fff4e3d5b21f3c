-- The holders' personal identification numbers, sealed (0025_personal_ids).

-- name: insert_personal_ids
-- $1 the diplomas, $3 their sealed numbers and $4 the lookup hashes, in the same order.
INSERT INTO diploma_personal_ids (diploma_id, key_id, sealed, lookup)
SELECT d, $2, s, l FROM unnest($1::uuid[], $3::bytea[], $4::bytea[]) AS t (d, s, l)

-- name: sealed_personal_ids
SELECT diploma_id, key_id, sealed FROM diploma_personal_ids WHERE diploma_id = ANY ($1::uuid[])

-- name: diplomas_by_personal_id
-- Every diploma holding the number (its lookup hash), newest registered first; the caller
-- keeps those within the principal's scope.
SELECT d.id, d.issuer_code, d.kind, d.serial, d.register_number, d.holder_name,
       d.date_of_birth, d.issued_on, i.name AS issuer_name
FROM diploma_personal_ids AS p
JOIN diplomas AS d ON d.id = p.diploma_id
JOIN issuers AS i ON i.code = d.issuer_code
WHERE p.lookup = $1
ORDER BY d.issued_at DESC, d.id DESC
LIMIT 200
