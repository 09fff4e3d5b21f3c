-- Issuers' X.509 document-signing certificates, published in the trust list.

-- name: insert_certificate
INSERT INTO issuer_certificates (fingerprint, issuer_code, der, subject, not_before, not_after)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (fingerprint) DO NOTHING
RETURNING fingerprint

-- name: certificate_issuer
SELECT issuer_code FROM issuer_certificates WHERE fingerprint = $1

-- name: trust_list_certificates
SELECT issuer_code, der FROM issuer_certificates ORDER BY issuer_code, not_before, fingerprint

-- name: published_certificates
SELECT der FROM issuer_certificates
