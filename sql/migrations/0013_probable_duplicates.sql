-- Probable duplicate people (service/domain/duplicates.py): registration looks up, for the
-- whole list in one query, the diplomas of the same issuer and kind whose holder has the
-- same date of birth and the same folded name. This index makes that one lookup per
-- graduate; the place of birth is compared on the few rows it finds.
CREATE INDEX diplomas_probable_person
    ON diplomas (issuer_code, kind, date_of_birth, fold_vi(holder_name));
