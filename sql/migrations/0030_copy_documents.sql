-- The certified copy as a document (docs/lifecycle.md, "Certified copies"): the copy register
-- keeps what the copy prints, so that it can be printed again exactly as issued, whatever
-- corrections come later.
--
-- `content` is the register's content at the moment of copying (Art. 28: identical to the
-- register), `version` the diploma record's version it was taken from, `signer_*` the
-- officer who signs the copies (the head of the body holding the register, or a deputy "KT."
-- on the head's behalf). `form` tells a printed copy (bản sao, signed by hand and sealed)
-- from an electronic extract (trích lục, a signed PDF; Circular 10/2026 lets it stand in for
-- a certified copy). Entries recorded before this migration have no content: their copies
-- were never printed by the service, and the columns stay empty (the table is append-only).
ALTER TABLE certified_copies
    ADD COLUMN form text NOT NULL DEFAULT 'paper' CHECK (form IN ('paper', 'extract')),
    ADD COLUMN version integer CHECK (version >= 1),
    ADD COLUMN content jsonb CHECK (content IS NULL OR jsonb_typeof(content) = 'object'),
    ADD COLUMN signer_name text CHECK (length(signer_name) BETWEEN 1 AND 200),
    ADD COLUMN signer_title text CHECK (length(signer_title) BETWEEN 1 AND 500),
    ADD COLUMN signer_on_behalf_of text CHECK (length(signer_on_behalf_of) BETWEEN 1 AND 500);

-- A copy's QR code names it by its number: the check finds it by the issuer and that number.
CREATE UNIQUE INDEX certified_copies_issuer_number_idx ON certified_copies (issuer_code, number);
