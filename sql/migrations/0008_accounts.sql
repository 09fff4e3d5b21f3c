-- People and what they did (docs/accounts.md): staff accounts with argon2id password hashes
-- and an optional TOTP second factor, their sessions (shared by every process), the
-- throttle of failed sign-ins, personal API tokens, and the staff journal, which the
-- database keeps append-only as it keeps the register.

CREATE TABLE accounts (
    id uuid PRIMARY KEY,
    -- Lower case by construction: one spelling per person.
    username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@+-]{2,99}$'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role text NOT NULL CHECK (role IN ('clerk', 'auditor', 'admin')),
    -- An admin without an issuer manages every account; every other account has a scope.
    issuer_code text REFERENCES issuers (code),
    state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled')),
    password_hash text NOT NULL,
    -- A password someone else chose (creation, reset) is changed at the next sign-in.
    password_temporary boolean NOT NULL DEFAULT true,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    totp_secret text CHECK (totp_secret ~ '^[A-Z2-7]{32}$'),
    -- The last time step a TOTP code was accepted for: a code is good once.
    totp_last_step bigint,
    -- NULL: made by the operator on the server (`vanbang account create`) or by the demo.
    created_by uuid REFERENCES accounts (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    state_changed_at timestamptz,
    demo boolean NOT NULL DEFAULT false,
    CHECK (role = 'admin' OR issuer_code IS NOT NULL)
);
CREATE INDEX accounts_issuer_idx ON accounts (issuer_code);

-- One-time recovery codes for a lost second factor; only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    account_id uuid NOT NULL REFERENCES accounts (id),
    code_hash bytea NOT NULL CHECK (octet_length(code_hash) = 32),
    used_at timestamptz,
    PRIMARY KEY (account_id, code_hash)
);

-- A signed-in browser. The cookie holds 32 random bytes; only their SHA-256 is kept here.
CREATE TABLE sessions (
    id_hash bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    account_id uuid NOT NULL REFERENCES accounts (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,  -- the absolute lifetime; idleness is last_seen_at's
    -- The password was right and the TOTP code is still to come.
    second_factor_pending boolean NOT NULL,
    client text,  -- the address as the journal keeps it (a network, not a host)
    user_agent text CHECK (length(user_agent) <= 300)
);
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

-- A browser that signed in to an account before (a cookie of 32 random bytes; only their
-- SHA-256 here): its attempts for that account are throttled on their own, so that someone
-- else's failures never shut the account's own person out.
CREATE TABLE known_devices (
    id_hash bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    account_id uuid NOT NULL REFERENCES accounts (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX known_devices_account_idx ON known_devices (account_id);
CREATE INDEX known_devices_used_idx ON known_devices (last_used_at);

-- Sign-in attempts, by account name, by client network and by known browser (each hashed):
-- each attempt counts until it succeeds, each failure makes the next attempt wait longer, up
-- to a ceiling, and the count is forgotten after a quiet day.
CREATE TABLE sign_in_throttle (
    key text PRIMARY KEY CHECK (length(key) <= 200),
    failures integer NOT NULL CHECK (failures > 0),
    last_failure_at timestamptz NOT NULL
);
CREATE INDEX sign_in_throttle_last_idx ON sign_in_throttle (last_failure_at);

-- Personal tokens belong to an account (operator tokens from `vanbang token create` to none),
-- expire, and remember their last use.
ALTER TABLE api_tokens ADD COLUMN account_id uuid REFERENCES accounts (id);
-- An admin may now have a scope (its issuer and those under it).
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scope_check
    CHECK (role = 'admin' OR issuer_code IS NOT NULL);
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

-- The staff journal: every staff action, append-only. issuer_code is the issuer whose record
-- or account the action touched; it decides who may read the entry.
CREATE TABLE staff_journal (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The writing transaction: readers page by (tx, id) and read only entries of transactions
    -- older than every one still running, so that an entry committed late is never skipped.
    tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    account_id uuid REFERENCES accounts (id),
    token_id uuid REFERENCES api_tokens (id),
    action text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)*$'),
    issuer_code text REFERENCES issuers (code),
    record_type text CHECK (record_type ~ '^[a-z_]+$'),
    record_id text CHECK (length(record_id) <= 100),
    request_id text CHECK (length(request_id) <= 64),
    client text CHECK (length(client) <= 64),
    detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX staff_journal_order_idx ON staff_journal (tx, id);
CREATE INDEX staff_journal_issuer_idx ON staff_journal (issuer_code, tx, id);
CREATE INDEX staff_journal_account_idx ON staff_journal (account_id, tx, id);
CREATE TRIGGER staff_journal_append_only
    BEFORE UPDATE OR DELETE ON staff_journal
    FOR EACH ROW EXECUTE FUNCTION refuse_register_change();
CREATE TRIGGER staff_journal_no_truncate
    BEFORE TRUNCATE ON staff_journal
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_register_change();

-- Who made each register entry and event: the write path sets vanbang.account_id for its
-- transaction (SET LOCAL), and every row it inserts takes it. NULL: the operator's CLI, an
-- operator token, or a row from before accounts.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['graduation_decisions', 'revocations', 'corrections', 'reissues',
                             'certified_copies', 'blank_receipts', 'blank_destructions',
                             'blank_events']
    LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN recorded_by uuid REFERENCES accounts (id) '
                       'DEFAULT nullif(current_setting(''vanbang.account_id'', true), '''')::uuid',
                       t);
    END LOOP;
END;
$$;
-- A decision's diplomas were made by the decision's account (its row has the reference);
-- no foreign key here, so that a 5,000-row decision pays for no 5,000 key checks.
ALTER TABLE diplomas ADD COLUMN recorded_by uuid
    DEFAULT nullif(current_setting('vanbang.account_id', true), '')::uuid;
