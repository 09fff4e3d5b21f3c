-- Issuers' X.509 document-signing certificates (docs/digital-diplomas.md), published in the
-- trust list beside their Ed25519 keys so that a verifier can tell a digital diploma's PAdES
-- signature is its issuer's. Public data only: keys stay in files or tokens. Kept for good,
-- like the keys: a renewed certificate adds a row, and what the old one signed still finds
-- its issuer. Revocation is the CA's (its CRL and OCSP), not this table's.
CREATE TABLE issuer_certificates (
    fingerprint bytea PRIMARY KEY CHECK (octet_length(fingerprint) = 32),  -- SHA-256 of der
    issuer_code text NOT NULL REFERENCES issuers (code),
    der bytea NOT NULL,
    subject text NOT NULL,
    not_before timestamptz NOT NULL,
    not_after timestamptz NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    CHECK (not_after > not_before)
);
CREATE INDEX issuer_certificates_issuer_idx ON issuer_certificates (issuer_code, not_before);

CREATE TRIGGER issuer_certificates_append_only
    BEFORE UPDATE OR DELETE ON issuer_certificates
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER issuer_certificates_no_truncate
    BEFORE TRUNCATE ON issuer_certificates
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();
