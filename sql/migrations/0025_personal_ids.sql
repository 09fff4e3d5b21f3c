-- The holder's personal identification number (số định danh cá nhân), sealed (docs/register.md,
-- "The personal identification number"). Beside the register, never in it: not a column of
-- `diplomas` (whose rows the QR code, the signed record and the issuance log are made of),
-- never signed, never a leaf of the log.
--
-- `sealed` is AES-256-GCM of the number under a key kept in VANBANG_KEYS_DIR beside the
-- signing keys (personal-id.key), the diploma's id as associated data; `lookup` is an
-- HMAC-SHA256 of the number under a second key derived from the same secret, so staff can
-- find a person by the number while a dump of the database alone reveals none. `key_id`
-- names the secret (8 bytes of a hash of it), so that a database restored beside another
-- key file is told apart from tampering.
--
-- Written in the transaction of the diploma's own row (registration, re-issue); append-only
-- like the register.
CREATE TABLE diploma_personal_ids (
    diploma_id uuid PRIMARY KEY REFERENCES diplomas (id),
    key_id bytea NOT NULL CHECK (length(key_id) = 8),
    sealed bytea NOT NULL CHECK (length(sealed) = 41),
    lookup bytea NOT NULL CHECK (length(lookup) = 32),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by uuid REFERENCES accounts (id)
        DEFAULT nullif(current_setting('vanbang.account_id', true), '')::uuid
);
CREATE INDEX diploma_personal_ids_lookup_idx ON diploma_personal_ids (lookup);

CREATE TRIGGER diploma_personal_ids_append_only
    BEFORE UPDATE OR DELETE ON diploma_personal_ids
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER diploma_personal_ids_no_truncate
    BEFORE TRUNCATE ON diploma_personal_ids
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();

-- A list checked in the console keeps its request until it is confirmed (0010): the
-- graduates' personal identification numbers are kept apart from it, sealed with the
-- staged list's id as associated data (a JSON array, one number or null per graduate).
ALTER TABLE staged_decisions ADD COLUMN personal_ids bytea;
