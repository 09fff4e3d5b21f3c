-- What a print job prints (docs/printing.md): `check`, the check sheet a clerk reads before
-- printing, or `blank`, the diplomas' data onto their blank forms. Every print job so far made
-- the check sheet. A person prints each document of a decision once at a time: asking again
-- while one is being made finds it, asking for the other document makes another.
ALTER TABLE jobs ADD COLUMN document text CHECK (document IN ('check', 'blank'));
UPDATE jobs SET document = 'check' WHERE kind = 'print_decision';
ALTER TABLE jobs ADD CONSTRAINT jobs_print_document_check
    CHECK ((kind = 'print_decision') = (document IS NOT NULL));
DROP INDEX jobs_printing_idx;
CREATE UNIQUE INDEX jobs_printing_idx ON jobs (account_id, decision_id, document)
    WHERE kind = 'print_decision' AND state IN ('queued', 'running');
