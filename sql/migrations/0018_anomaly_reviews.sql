-- An auditor's review of an anomaly (docs/audit.md): who looked at it, when, and what they
-- noted. Anomalies are computed from the register each time (service/usecases/audit.py), so a
-- review names its anomaly by a key made of what identifies it (domain/anomaly_keys.py); a
-- reviewed anomaly stays in the report, shown as reviewed. Append-only: a second review of
-- the same anomaly adds a row, the page shows the latest. Each review is journalled too.
CREATE TABLE anomaly_reviews (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    anomaly_key text NOT NULL CHECK (length(anomaly_key) <= 300),
    issuer_code text NOT NULL REFERENCES issuers (code),
    account_id uuid NOT NULL REFERENCES accounts (id),
    note text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    reviewed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anomaly_reviews_key_idx ON anomaly_reviews (anomaly_key, reviewed_at DESC);

CREATE FUNCTION anomaly_reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'anomaly_reviews is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER anomaly_reviews_append_only BEFORE UPDATE OR DELETE ON anomaly_reviews
    FOR EACH ROW EXECUTE FUNCTION anomaly_reviews_append_only();
CREATE TRIGGER anomaly_reviews_no_truncate BEFORE TRUNCATE ON anomaly_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION anomaly_reviews_append_only();
