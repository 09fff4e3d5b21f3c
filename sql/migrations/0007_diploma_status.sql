-- A diploma's standing as public verification answers it: its revocation, the diploma that
-- replaced it, its latest correction, and its issue leaf in the log. One definition for the
-- QR check and the lookup by serial (sql/queries/register.sql), which join it by id.

CREATE VIEW diploma_status AS
SELECT d.id AS diploma_id,
       r.decision_number AS revoked_decision, r.decided_on AS revoked_on,
       r.authority AS revoked_by, r.ground AS revoked_ground, r.reason AS revoked_reason,
       n.serial AS replaced_by_serial, n.register_number AS replaced_by_register_number,
       n.issued_on AS replaced_on,
       c.version AS corrected_version, c.decision_number AS corrected_decision,
       c.decided_on AS corrected_on, c.current AS corrected_current,
       (SELECT l.idx FROM log_leaves AS l
        WHERE l.diploma_id = d.id AND l.event_type = 'issue') AS log_index
FROM diplomas AS d
LEFT JOIN revocations AS r ON r.diploma_id = d.id
LEFT JOIN reissues AS x ON x.old_diploma_id = d.id
LEFT JOIN diplomas AS n ON n.id = x.new_diploma_id
LEFT JOIN LATERAL (
    SELECT version, decision_number, decided_on, current FROM corrections
    WHERE diploma_id = d.id ORDER BY version DESC LIMIT 1
) AS c ON true;
