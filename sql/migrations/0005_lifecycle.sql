-- The rest of a diploma's life (Circular 21): corrections (Art. 21-24), re-issue for the
-- issuer's own error (Art. 18), certified copies from the register (Art. 27-32) and the
-- blank forms they are printed on (Art. 9-11), plus the deadline of Art. 17. Every event is a
-- new row signed by the issuer's key; nothing here is ever updated or deleted.
--
-- Events about one diploma are serialised by a row lock on the diploma
-- (SELECT ... FOR NO KEY UPDATE, which an UPDATE trigger never sees).

-- Art. 17: the day by which the diplomas of a decision are due, and whether the
-- registration came after it (accepted, and flagged for auditors).
ALTER TABLE graduation_decisions ADD COLUMN deadline date;
ALTER TABLE graduation_decisions ADD COLUMN late boolean NOT NULL DEFAULT false;

-- A correction creates version 2, 3, ... of the signed record; the registered row is version 1.
CREATE TABLE corrections (
    id uuid PRIMARY KEY,
    diploma_id uuid NOT NULL REFERENCES diplomas (id),
    version integer NOT NULL CHECK (version >= 2),
    issuer_code text NOT NULL REFERENCES issuers (code),
    decision_number text NOT NULL CHECK (length(decision_number) BETWEEN 1 AND 64),
    decided_on date NOT NULL,
    signer_name text NOT NULL,
    signer_title text NOT NULL,
    ground text NOT NULL CHECK (ground IN (
        'civil_status_changed', 'ethnicity_or_sex_redetermined', 'civil_status_supplemented',
        'birth_registered_late'
    )),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    -- The register appendix: {"field": {"old": ..., "new": ...}} for each field changed.
    changes jsonb NOT NULL,
    -- The civil-status fields as they stand after this correction.
    current jsonb NOT NULL,
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    record_signed bytea NOT NULL,  -- the new version of the signed record
    signed bytea NOT NULL,  -- the signed correction statement
    recorded_at timestamptz NOT NULL,
    CONSTRAINT corrections_version_key UNIQUE (diploma_id, version)
);

-- Re-issue (Art. 18): the old diploma is replaced by a new register entry on a new blank.
CREATE TABLE reissues (
    id uuid PRIMARY KEY,
    old_diploma_id uuid NOT NULL UNIQUE REFERENCES diplomas (id),
    new_diploma_id uuid NOT NULL UNIQUE REFERENCES diplomas (id),
    issuer_code text NOT NULL REFERENCES issuers (code),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    changes jsonb NOT NULL,
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    signed bytea NOT NULL,
    recorded_at timestamptz NOT NULL,
    CHECK (old_diploma_id <> new_diploma_id)
);

-- The copy register (sổ cấp bản sao): its own numbering per issuer and calendar year, with
-- no gap, allocated like register numbers (the counter row is locked until commit).
CREATE TABLE copy_counters (
    issuer_code text NOT NULL REFERENCES issuers (code),
    year integer NOT NULL,
    last_seq integer NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (issuer_code, year)
);

CREATE TABLE certified_copies (
    id uuid PRIMARY KEY,
    diploma_id uuid NOT NULL REFERENCES diplomas (id),
    issuer_code text NOT NULL REFERENCES issuers (code),
    year integer NOT NULL,
    seq integer NOT NULL CHECK (seq > 0),
    number text NOT NULL,
    requester_name text NOT NULL CHECK (length(requester_name) BETWEEN 1 AND 200),
    relation text NOT NULL CHECK (relation IN ('holder', 'representative', 'relative', 'heir')),
    id_document_type text NOT NULL CHECK (id_document_type IN (
        'citizen_id', 'identity_card', 'passport', 'other'
    )),
    id_document_number text NOT NULL CHECK (length(id_document_number) BETWEEN 1 AND 32),
    copies integer NOT NULL CHECK (copies BETWEEN 1 AND 50),
    issued_on date NOT NULL,
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    signed bytea NOT NULL,
    recorded_at timestamptz NOT NULL,
    CONSTRAINT certified_copies_number_key UNIQUE (issuer_code, year, seq),
    CHECK (year = extract(year FROM issued_on))
);
CREATE INDEX certified_copies_diploma_idx ON certified_copies (diploma_id);

-- Blank forms (phôi). An issuer that tracks them registers only serials of received blanks.
ALTER TABLE issuers ADD COLUMN tracks_blanks boolean NOT NULL DEFAULT false;

-- A received range: the serials prefix || lpad(n, digits, '0') for n in first..last.
CREATE TABLE blank_receipts (
    id uuid PRIMARY KEY,
    issuer_code text NOT NULL REFERENCES issuers (code),
    kind text NOT NULL,
    prefix text NOT NULL CHECK (prefix ~ '^[A-Z0-9/-]{0,16}$'),
    digits integer NOT NULL CHECK (digits BETWEEN 1 AND 12),
    first_number bigint NOT NULL CHECK (first_number >= 0),
    last_number bigint NOT NULL,
    received_on date NOT NULL,
    reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    signed bytea NOT NULL,
    recorded_at timestamptz NOT NULL,
    CHECK (last_number >= first_number AND last_number - first_number < 1000000),
    CHECK (length(last_number::text) <= digits)
);
CREATE INDEX blank_receipts_range_idx
    ON blank_receipts (issuer_code, kind, prefix, digits, first_number);

-- The blank each registered diploma was printed on.
CREATE TABLE blank_uses (
    issuer_code text NOT NULL,
    kind text NOT NULL,
    serial text NOT NULL,
    receipt_id uuid NOT NULL REFERENCES blank_receipts (id),
    diploma_id uuid NOT NULL UNIQUE REFERENCES diplomas (id),
    PRIMARY KEY (issuer_code, kind, serial)
);

-- Destruction minutes (biên bản hủy phôi): the council, the reason, the method and the date.
CREATE TABLE blank_destructions (
    id uuid PRIMARY KEY,
    issuer_code text NOT NULL REFERENCES issuers (code),
    kind text NOT NULL,
    minutes_number text NOT NULL CHECK (length(minutes_number) BETWEEN 1 AND 64),
    council text[] NOT NULL CHECK (cardinality(council) BETWEEN 1 AND 20),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    method text NOT NULL CHECK (length(method) BETWEEN 1 AND 200),
    destroyed_on date NOT NULL,
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    signed bytea NOT NULL,
    recorded_at timestamptz NOT NULL
);

-- Spoiled and destroyed blanks, one row per blank and event. was_used: the blank carried a
-- registered diploma (a re-issue spoils it); the yearly report counts each blank once.
CREATE TABLE blank_events (
    id uuid PRIMARY KEY,
    issuer_code text NOT NULL REFERENCES issuers (code),
    kind text NOT NULL,
    serial text NOT NULL,
    event text NOT NULL CHECK (event IN ('spoiled', 'destroyed')),
    occurred_on date NOT NULL,
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    was_used boolean NOT NULL,
    was_spoiled boolean NOT NULL,
    destruction_id uuid REFERENCES blank_destructions (id),
    reissue_id uuid REFERENCES reissues (id),
    kid bytea NOT NULL REFERENCES issuer_keys (kid),
    signed bytea NOT NULL,
    recorded_at timestamptz NOT NULL,
    CONSTRAINT blank_events_once UNIQUE (issuer_code, kind, serial, event),
    CHECK ((event = 'destroyed') = (destruction_id IS NOT NULL))
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['corrections', 'reissues', 'certified_copies', 'blank_receipts',
                             'blank_uses', 'blank_destructions', 'blank_events']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW '
                       'EXECUTE FUNCTION refuse_register_change()', t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION refuse_register_change()', t || '_no_truncate', t);
    END LOOP;
END;
$$;
