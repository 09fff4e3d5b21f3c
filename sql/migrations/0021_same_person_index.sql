-- The same person registered by two issuers (docs/audit.md, same_person_other_issuer): the
-- anomaly report looks at every diploma in an auditor's scope by kind, date of birth and
-- folded name and place of birth. Folding a million names takes seconds; this index holds
-- the folded values in that order and INCLUDEs the issuer, the id and the columns the folded
-- values come from, so that the report reads it index-only, folding nothing (0013's
-- diplomas_probable_person leads with the issuer, for one issuer's lookups).
CREATE INDEX diplomas_person_across_issuers
    ON diplomas (kind, date_of_birth, fold_vi(holder_name), fold_vi(coalesce(place_of_birth, '')))
    INCLUDE (issuer_code, id, holder_name, place_of_birth);
