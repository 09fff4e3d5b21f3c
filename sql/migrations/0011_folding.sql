-- fold_vi(text): a name as a search compares it, lower case without diacritics: the SQL twin
-- of service/domain/folding.fold ("Nguyễn  Đức" -> "nguyen duc"), which it follows step by
-- step: đ and Đ (which Unicode does not decompose) to d, the decomposed form's combining marks
-- dropped, lower case; then spaces run together as one and trimmed, as " ".join(x.split())
-- does. IMMUTABLE, so an index can be built on it; tests/service/test_folding_sql.py checks it
-- against the Python fold for every precomposed Latin letter.
CREATE FUNCTION fold_vi(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN btrim(regexp_replace(
    lower(regexp_replace(normalize(translate(value, 'đĐ', 'dD'), NFD), '[\u0300-\u036f]', '', 'g')),
    '\s+', ' ', 'g'));
