-- Issuers' Ed25519 public keys with their validity; private keys never enter the database.
-- Every diploma from now on carries the key id and the exact signed COSE_Sign1 bytes.

CREATE TABLE issuer_keys (
    kid bytea PRIMARY KEY CHECK (octet_length(kid) = 8),
    issuer_code text NOT NULL REFERENCES issuers (code),
    public_key bytea NOT NULL UNIQUE CHECK (octet_length(public_key) = 32),
    not_before timestamptz NOT NULL,
    not_after timestamptz,
    compromised_since timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (not_after IS NULL OR not_after >= not_before)
);
-- At most one key signs for an issuer at a time.
CREATE UNIQUE INDEX issuer_keys_one_active ON issuer_keys (issuer_code) WHERE not_after IS NULL;

ALTER TABLE diplomas
    ADD COLUMN kid bytea REFERENCES issuer_keys (kid),
    ADD COLUMN signed bytea;
-- NOT VALID: binds every row inserted from now on; the register never had unsigned rows in
-- production, and rows are never rewritten to add a signature.
ALTER TABLE diplomas
    ADD CONSTRAINT diplomas_signed CHECK (kid IS NOT NULL AND signed IS NOT NULL) NOT VALID;
