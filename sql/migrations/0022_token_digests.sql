-- The register's own QR tokens, known by their digest (docs/verification.md, "Recognising
-- the register's own tokens"). Ed25519 is deterministic, so a diploma's token is the same
-- bytes every time it is made: the register keeps the SHA-256 of those bytes (the decoded
-- COSE_Sign1, not the QR text, which base32 lets be written more than one way), and a QR
-- check whose bytes it knows needs no signature verification; the key's trust at issuance is
-- still judged against the current trust list.
--
-- `version` is the version of the signed record the token was made from. A token is made
-- from the registered record (version 1) and a correction does not make a new one: the paper
-- keeps its QR code, which the diploma's status then answers as corrected. A re-issue is a
-- new diploma with a token of its own.
--
-- Rows are written in the transaction of the diploma they belong to, one INSERT ... SELECT
-- FROM unnest for a whole decision. Diplomas registered before this migration have none: a
-- token is a signature by the issuer's private key, which the database does not hold, so it
-- cannot be made here. Their QR checks take the full path (the signature verified), as
-- before, and answer the same.
CREATE TABLE token_digests (
    digest bytea PRIMARY KEY CHECK (octet_length(digest) = 32),
    diploma_id uuid NOT NULL REFERENCES diplomas (id),
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT token_digests_version_key UNIQUE (diploma_id, version)
);

CREATE TRIGGER token_digests_append_only
    BEFORE UPDATE OR DELETE ON token_digests
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER token_digests_no_truncate
    BEFORE TRUNCATE ON token_digests
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();
