-- Gaps: a record kind for stretches between two recorded versions where versions are missing. The ledger table is
-- rebuilt to widen its CHECK constraint (SQLite cannot alter one), every row kept as it was.
CREATE TABLE records_next (
    seq            INTEGER PRIMARY KEY,
    publication_id BIGINT  NOT NULL REFERENCES publications (id),
    code           TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('code', 'provision', 'entry', 'consultation', 'process',
                                                    'proposal', 'planned', 'document', 'gap')),
    record_key     TEXT    NOT NULL,
    ordinal        BIGINT  NOT NULL,
    body           TEXT -- a register-file fragment; NULL withdraws the key
);
INSERT INTO records_next (seq, publication_id, code, kind, record_key, ordinal, body)
    SELECT seq, publication_id, code, kind, record_key, ordinal, body FROM records ORDER BY seq;
DROP TRIGGER records_are_append_only_update;
DROP TRIGGER records_are_append_only_delete;
DROP TABLE records;
ALTER TABLE records_next RENAME TO records;
CREATE INDEX records_by_code ON records (code, seq);
CREATE TRIGGER records_are_append_only_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
CREATE TRIGGER records_are_append_only_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
