-- name: probable_duplicates
-- The registered diplomas of issuer $1 and kind $2 whose holder is probably one of the list's
-- graduates: the same folded name ($3, folded as fold_vi folds), date of birth ($4) and
-- folded place of birth ($5, '' for none), at most $6 of them per graduate, the earliest
-- registered. One lookup of diplomas_probable_person per graduate.
SELECT (k.ord - 1)::int AS graduate, d.id, d.serial, d.register_number
FROM unnest($3::text[], $4::date[], $5::text[]) WITH ORDINALITY AS k(name, born, place, ord)
CROSS JOIN LATERAL (
    SELECT d.id, d.serial, d.register_number, d.register_year, d.register_seq
    FROM diplomas AS d
    WHERE d.issuer_code = $1 AND d.kind = $2 AND d.date_of_birth = k.born
      AND fold_vi(d.holder_name) = k.name
      AND fold_vi(coalesce(d.place_of_birth, '')) = k.place
    ORDER BY d.register_year, d.register_seq
    LIMIT $6
) AS d
ORDER BY k.ord, d.register_year, d.register_seq
