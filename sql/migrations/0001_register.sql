-- The original register (sổ gốc) per Circular 21/2019/TT-BGDĐT: issuers, graduation
-- decisions and diplomas. Register tables are append-only and the database enforces it.

CREATE FUNCTION refuse_register_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the register is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TABLE issuers (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    kind text NOT NULL CHECK (kind IN (
        'ministry', 'provincial_department', 'district_office', 'school', 'university', 'other'
    )),
    parent_code text REFERENCES issuers (code),
    register_number_pattern text NOT NULL DEFAULT '{n}/{year}',
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_code IS DISTINCT FROM code)
);
CREATE INDEX issuers_parent_idx ON issuers (parent_code);

CREATE TABLE graduation_decisions (
    id uuid PRIMARY KEY,
    issuer_code text NOT NULL REFERENCES issuers (code),
    number text NOT NULL,
    decided_on date NOT NULL,
    signer_name text NOT NULL,
    signer_title text NOT NULL,
    kind text NOT NULL,
    regulation text NOT NULL,
    graduate_count integer NOT NULL CHECK (graduate_count > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT graduation_decisions_number_key UNIQUE (issuer_code, number, decided_on)
);

CREATE TABLE diplomas (
    id uuid PRIMARY KEY,
    decision_id uuid NOT NULL REFERENCES graduation_decisions (id),
    issuer_code text NOT NULL REFERENCES issuers (code),
    kind text NOT NULL,
    regulation text NOT NULL,
    serial text NOT NULL,
    register_year integer NOT NULL,
    register_seq integer NOT NULL CHECK (register_seq > 0),
    register_number text NOT NULL,
    holder_name text NOT NULL CHECK (holder_name IS NFC NORMALIZED),
    date_of_birth date NOT NULL,
    place_of_birth text CHECK (place_of_birth IS NFC NORMALIZED),
    gender text NOT NULL CHECK (gender IN ('male', 'female')),
    ethnicity text,
    nationality text NOT NULL,
    student_id text,
    major text,
    classification text,
    mode_of_study text,
    graduation_year integer NOT NULL,
    signer_name text NOT NULL,
    signer_title text NOT NULL,
    signer_on_behalf_of text,
    place_of_issue text NOT NULL,
    issued_on date NOT NULL,
    salt bytea NOT NULL CHECK (octet_length(salt) = 16),
    issued_at timestamptz NOT NULL,
    -- serial first: lookups by serial (duplicate checks, public lookup) use this index.
    CONSTRAINT diplomas_serial_key UNIQUE (serial, issuer_code, kind),
    CONSTRAINT diplomas_register_number_key UNIQUE (issuer_code, kind, register_year, register_seq),
    CHECK (register_year = extract(year FROM issued_on))
);
CREATE INDEX diplomas_decision_idx ON diplomas (decision_id);

CREATE TRIGGER graduation_decisions_append_only
    BEFORE UPDATE OR DELETE ON graduation_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER graduation_decisions_no_truncate
    BEFORE TRUNCATE ON graduation_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER diplomas_append_only
    BEFORE UPDATE OR DELETE ON diplomas
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER diplomas_no_truncate
    BEFORE TRUNCATE ON diplomas
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();

-- The last register number given per issuer, kind and calendar year. The row lock taken by
-- the increment serialises concurrent batches, and a rolled-back batch rolls its numbers
-- back with it, so numbers have no gap and no duplicate.
CREATE TABLE register_counters (
    issuer_code text NOT NULL REFERENCES issuers (code),
    kind text NOT NULL,
    year integer NOT NULL,
    last_seq integer NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (issuer_code, kind, year)
);

CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    role text NOT NULL CHECK (role IN ('clerk', 'auditor', 'admin')),
    issuer_code text REFERENCES issuers (code),
    label text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    CHECK ((role = 'admin') = (issuer_code IS NULL))
);

-- A retried request with the same Idempotency-Key gets the first answer. The row is claimed
-- at the start of the registering transaction, so a concurrent retry waits for the first.
-- owner is the token's id, or the nil UUID for the operator's `vanbang import`.
CREATE TABLE idempotency_keys (
    owner uuid NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    response_status integer,
    response_body bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, key)
);
