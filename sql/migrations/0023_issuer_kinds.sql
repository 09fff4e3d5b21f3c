-- Kinds of issuer of today's law: the commune-level People's Committee (THCS diplomas from
-- 01/07/2025, Circular 13/2025) and the vocational schools and colleges whose diplomas
-- Circular 10/2026 brings under the same rules (service/domain/kinds.py IssuerKind).
ALTER TABLE issuers DROP CONSTRAINT issuers_kind_check;
ALTER TABLE issuers ADD CONSTRAINT issuers_kind_check CHECK (kind IN (
    'ministry', 'provincial_department', 'district_office', 'commune_committee', 'school',
    'university', 'vocational_school', 'college', 'other'
));
