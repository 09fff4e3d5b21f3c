-- A graduate list uploaded in the clerk's console and checked (a dry run), kept until the
-- clerk confirms it (docs/console.md). Not part of the register: nothing here is signed or
-- numbered, a row changes state as the clerk goes on, and old ones are dropped. Confirming
-- registers the kept request with the Idempotency-Key "staged:<id>", so a second click, a
-- reload or a retry after a crash registers it once.
CREATE TABLE staged_decisions (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    issuer_code text NOT NULL REFERENCES issuers (code),
    -- The file's name as the clerk's computer gave it, or NULL for a list typed in the form.
    file_name text CHECK (length(file_name) <= 255),
    -- The validated request (GraduationDecisionIn as JSON) and where each of its graduates
    -- came from in the file (service/formats/tabular.Locator), to name rows in later errors.
    request jsonb NOT NULL,
    locator jsonb,
    -- What the check answered: the register numbers it would have taken then, lateness.
    preview jsonb NOT NULL,
    decision_number text NOT NULL,
    decided_on date NOT NULL,
    kind text NOT NULL,
    graduate_count integer NOT NULL CHECK (graduate_count > 0),
    deadline date NOT NULL,
    state text NOT NULL DEFAULT 'checked'
        CHECK (state IN ('checked', 'registered', 'cancelled')),
    decision_id uuid REFERENCES graduation_decisions (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CHECK ((state = 'registered') = (decision_id IS NOT NULL))
);
CREATE INDEX staged_decisions_account_idx ON staged_decisions (account_id, created_at);
CREATE INDEX staged_decisions_issuer_idx ON staged_decisions (issuer_code, state, deadline);
CREATE INDEX staged_decisions_expiry_idx ON staged_decisions (expires_at);
