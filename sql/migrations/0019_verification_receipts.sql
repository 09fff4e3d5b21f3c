-- Verification receipts (docs/verification.md, "Biên nhận kiểm tra"): after a QR check, the
-- answer given is kept under a short code anyone can re-check at /bien-nhan/{code} until
-- valid_until. Only what the public page shows is kept: the QR text checked (it carries
-- only the printed fields, signed), the verdict and the result as the public API answered it
-- (a code that is not genuine with no fields). Append-only, like the register: a receipt is
-- evidence of what was answered, and nobody may change or remove it.
CREATE TABLE verification_receipts (
    -- 12 characters of Crockford base32 (service/domain/receipts.py), without the dashes.
    code text PRIMARY KEY CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{12}$'),
    created_at timestamptz NOT NULL,
    valid_until timestamptz NOT NULL CHECK (valid_until > created_at),
    qr_text text NOT NULL CHECK (length(qr_text) BETWEEN 1 AND 4096),
    diploma_id uuid REFERENCES diplomas (id),
    verdict text NOT NULL CHECK (
        verdict IN ('valid', 'corrected', 'genuine', 'replaced', 'revoked', 'not_found',
                    'status_unknown', 'not_genuine')
    ),
    result jsonb NOT NULL CHECK (jsonb_typeof(result) = 'object')
);

CREATE FUNCTION verification_receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'verification_receipts is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER verification_receipts_append_only BEFORE UPDATE OR DELETE
    ON verification_receipts
    FOR EACH ROW EXECUTE FUNCTION verification_receipts_append_only();
CREATE TRIGGER verification_receipts_no_truncate BEFORE TRUNCATE ON verification_receipts
    FOR EACH STATEMENT EXECUTE FUNCTION verification_receipts_append_only();
