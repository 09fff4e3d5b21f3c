-- The issuance log (architecture.md): every register event becomes a leaf of an append-only
-- Merkle tree (RFC 6962/9162), and the log publishes signed checkpoints of it.
--
-- Events reach the log through the database itself: a trigger on each event table puts a
-- row in log_queue in the event's own transaction, so no committed event can miss the log.
-- The sequencer (one at a time, under an advisory lock) moves queued rows to log_leaves with
-- gapless indices, stores the perfect subtrees they complete, and signs a checkpoint.

CREATE TABLE log_queue (
    id bigserial PRIMARY KEY,
    event_type text NOT NULL,
    issuer_code text NOT NULL,
    diploma_id uuid,
    record_hash bytea NOT NULL CHECK (octet_length(record_hash) = 32),
    event_time timestamptz NOT NULL,
    enqueued_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- A leaf: `data` is the canonical CBOR that is hashed (no personal data: the record hash is
-- of a salted signed record or statement); the other columns are it, decoded, for queries.
CREATE TABLE log_leaves (
    idx bigint PRIMARY KEY CHECK (idx >= 0),
    event_type text NOT NULL,
    issuer_code text NOT NULL,
    diploma_id uuid,
    record_hash bytea NOT NULL,
    event_time timestamptz NOT NULL,
    data bytea NOT NULL,
    leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
    sequenced_at timestamptz NOT NULL,
    CONSTRAINT log_leaves_hash_key UNIQUE (leaf_hash)
);
CREATE INDEX log_leaves_diploma_idx ON log_leaves (diploma_id) WHERE diploma_id IS NOT NULL;

-- The perfect subtrees above the leaves: (level, idx) covers leaves idx * 2^level up to
-- (idx + 1) * 2^level - 1. Level 0 is log_leaves.leaf_hash. Any root or proof reads
-- O(log n) of these by primary key.
CREATE TABLE log_nodes (
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
    idx bigint NOT NULL CHECK (idx >= 0),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
);

CREATE TABLE log_checkpoints (
    size bigint PRIMARY KEY CHECK (size >= 0),
    root bytea NOT NULL CHECK (octet_length(root) = 32),
    note text NOT NULL,
    created_at timestamptz NOT NULL
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['log_leaves', 'log_nodes', 'log_checkpoints']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW '
                       'EXECUTE FUNCTION refuse_register_change()', t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION refuse_register_change()', t || '_no_truncate', t);
    END LOOP;
END;
$$;

-- One statement-level trigger per event table: a batch of a thousand diplomas queues its
-- thousand leaves in one INSERT ... SELECT, in register-number order.
CREATE FUNCTION log_enqueue() RETURNS trigger
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

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['diplomas', 'corrections', 'reissues', 'revocations',
                             'certified_copies', 'blank_receipts', 'blank_destructions',
                             'blank_events']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION log_enqueue()', t || '_log', t);
    END LOOP;
END;
$$;

-- Events recorded before the log existed join it first, oldest first.
INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)
SELECT event_type, issuer_code, diploma_id, record_hash, event_time FROM (
    SELECT 'issue' AS event_type, issuer_code, id AS diploma_id, sha256(signed) AS record_hash,
           issued_at AS event_time FROM diplomas
    UNION ALL
    SELECT 'revocation', issuer_code, diploma_id, sha256(signed), recorded_at FROM revocations
    UNION ALL
    SELECT 'correction', issuer_code, diploma_id, sha256(signed), recorded_at FROM corrections
    UNION ALL
    SELECT 'reissue', issuer_code, old_diploma_id, sha256(signed), recorded_at FROM reissues
    UNION ALL
    SELECT 'copy', issuer_code, diploma_id, sha256(signed), recorded_at FROM certified_copies
    UNION ALL
    SELECT 'blanks_received', issuer_code, NULL, sha256(signed), recorded_at FROM blank_receipts
    UNION ALL
    SELECT 'blanks_destroyed', issuer_code, NULL, sha256(signed), recorded_at
    FROM blank_destructions
    UNION ALL
    SELECT DISTINCT 'blanks_spoiled', issuer_code, NULL::uuid, sha256(signed), recorded_at
    FROM blank_events WHERE event = 'spoiled'
) AS events
ORDER BY event_time;
