-- Public verification: records a holder asked not to publish (police, military...) answer only
-- to their QR code, and each verification is counted per diploma (no client addresses).

-- A constant default: PostgreSQL adds the column without rewriting (or updating) any row.
ALTER TABLE diplomas ADD COLUMN published boolean NOT NULL DEFAULT true;

CREATE TABLE verification_counts (
    diploma_id uuid PRIMARY KEY REFERENCES diplomas (id),
    verifications bigint NOT NULL CHECK (verifications > 0),
    last_verified_at timestamptz NOT NULL
);
