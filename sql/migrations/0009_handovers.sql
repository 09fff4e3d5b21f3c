-- Handover (bàn giao, cấp phát văn bằng; Circular 21 Art. 13): who received a diploma and
-- when, the register's "người nhận (ký, ghi rõ họ tên)" and "ngày nhận" columns. A new row
-- signed by the issuer's key, never an edit of the diploma; one per diploma.
--
-- The recipient is the holder or their representative (a parent of a minor, a person
-- authorised in writing). A representative shows an identity document and the authorisation
-- that lets them receive it; the holder may be recorded with their identity document or not.
-- The document's number is kept here and never signed or published.

CREATE TABLE handovers (
    id uuid PRIMARY KEY,
    diploma_id uuid NOT NULL UNIQUE REFERENCES diplomas (id),
    issuer_code text NOT NULL REFERENCES issuers (code),
    recipient_name text NOT NULL CHECK (length(recipient_name) BETWEEN 1 AND 200),
    relation text NOT NULL CHECK (relation IN ('holder', 'representative')),
    id_document_type text CHECK (id_document_type IN (
        'citizen_id', 'identity_card', 'passport', 'other'
    )),
    id_document_number text CHECK (length(id_document_number) BETWEEN 1 AND 32),
    -- What gives a representative the right to receive it: a power of attorney (giấy ủy
    -- quyền), the proof of a parent's legal representation.
    authorisation text CHECK (length(authorisation) BETWEEN 1 AND 200),
    handed_over_on date NOT NULL,
    -- The staff member who handed it over, as the register writes them.
    handed_over_by text NOT NULL CHECK (length(handed_over_by) BETWEEN 1 AND 200),
    note text CHECK (length(note) BETWEEN 1 AND 2000),
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    signed bytea NOT NULL,  -- the signed handover statement (COSE_Sign1)
    recorded_at timestamptz NOT NULL,
    recorded_by uuid REFERENCES accounts (id)
        DEFAULT nullif(current_setting('vanbang.account_id', true), '')::uuid,
    CHECK ((id_document_type IS NULL) = (id_document_number IS NULL)),
    CHECK (relation = 'representative' OR authorisation IS NULL),
    CHECK (relation = 'holder' OR (authorisation IS NOT NULL AND id_document_type IS NOT NULL))
);
CREATE INDEX handovers_issuer_idx ON handovers (issuer_code, handed_over_on);

CREATE TRIGGER handovers_append_only
    BEFORE UPDATE OR DELETE ON handovers
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER handovers_no_truncate
    BEFORE TRUNCATE ON handovers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();

-- Handovers reach the issuance log as every event does (0006_log.sql): the queueing trigger
-- function, with one branch more.
CREATE OR REPLACE FUNCTION log_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'diplomas' THEN
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT 'issue', issuer_code, id, sha256(signed), issued_at
        FROM new_rows ORDER BY register_year, register_seq;
    WHEN 'corrections' THEN
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT 'correction', issuer_code, diploma_id, sha256(signed), recorded_at FROM new_rows;
    WHEN 'reissues' THEN
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT 'reissue', issuer_code, old_diploma_id, sha256(signed), recorded_at
        FROM new_rows;
    WHEN 'revocations' THEN
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT 'revocation', issuer_code, diploma_id, sha256(signed), recorded_at FROM new_rows;
    WHEN 'certified_copies' THEN
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT 'copy', issuer_code, diploma_id, sha256(signed), recorded_at FROM new_rows;
    WHEN 'handovers' THEN
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT 'handover', issuer_code, diploma_id, sha256(signed), recorded_at FROM new_rows;
    WHEN 'blank_receipts' THEN
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT 'blanks_received', issuer_code, NULL, sha256(signed), recorded_at FROM new_rows;
    WHEN 'blank_destructions' THEN
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT 'blanks_destroyed', issuer_code, NULL, sha256(signed), recorded_at FROM new_rows;
    WHEN 'blank_events' THEN
        -- One statement covers every blank it names; destructions are logged above.
        INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
        SELECT DISTINCT 'blanks_spoiled', issuer_code, NULL::uuid, sha256(signed), recorded_at
        FROM new_rows WHERE event = 'spoiled';
    END CASE;
    RETURN NULL;
END;
$$;

CREATE TRIGGER handovers_log
    AFTER INSERT ON handovers REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION log_enqueue();
