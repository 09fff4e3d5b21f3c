-- Issuers' signing keys (public halves) and the trust list built from them.

-- name: insert_key
INSERT INTO issuer_keys (kid, issuer_code, public_key, not_before) VALUES ($1, $2, $3, $4)
ON CONFLICT (kid) DO NOTHING
RETURNING kid

-- name: active_key
-- FOR SHARE: a rotation waits until the registrations signing with this key have committed,
-- so that no record is signed after its key was retired.
SELECT kid FROM issuer_keys
WHERE issuer_code = $1 AND not_after IS NULL AND compromised_since IS NULL
FOR SHARE

-- name: retire_active_key
UPDATE issuer_keys SET not_after = greatest($2, not_before), updated_at = now()
WHERE issuer_code = $1 AND not_after IS NULL
RETURNING kid

-- name: mark_key_compromised
-- A compromised key stops signing at once and is untrusted from $2 on.
UPDATE issuer_keys
SET compromised_since = least(coalesce(compromised_since, $2), $2),
    not_after = coalesce(not_after, greatest(date_trunc('second', now()), not_before)),
    updated_at = now()
WHERE kid = $1
RETURNING issuer_code

-- name: list_keys
SELECT kid, issuer_code, not_before, not_after, compromised_since
FROM issuer_keys WHERE $1::text IS NULL OR issuer_code = $1
ORDER BY issuer_code, not_before

-- name: trust_list_keys
SELECT kid, issuer_code, public_key, not_before, not_after, compromised_since FROM issuer_keys

-- name: trust_list_version
-- Changes whenever an issuer or a key is added or changed, a register changes custody, or a
-- certificate is published.
SELECT (SELECT count(*) FROM issuers) AS issuers,
       (SELECT max(created_at) FROM issuers) AS issuers_changed,
       (SELECT count(*) FROM issuer_keys) AS keys,
       (SELECT max(updated_at) FROM issuer_keys) AS keys_changed,
       (SELECT count(*) FROM custody_transfers) AS transfers,
       (SELECT max(recorded_at) FROM custody_transfers) AS custody_changed,
       (SELECT count(*) FROM issuer_certificates) AS certificates,
       (SELECT max(published_at) FROM issuer_certificates) AS certificates_changed

-- name: active_kids
SELECT kid FROM issuer_keys WHERE not_after IS NULL
