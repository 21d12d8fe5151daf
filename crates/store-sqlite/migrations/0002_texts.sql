-- Provision texts: each distinct normalised text once, addressed by its SHA-256, deflate-compressed.
CREATE TABLE texts (
    hash   BLOB   PRIMARY KEY, -- SHA-256 of the normalised text
    length BIGINT NOT NULL,    -- bytes of the text before compression
    body   BLOB   NOT NULL     -- deflate-compressed text
) WITHOUT ROWID;

-- Which text a version or event gave a provision (NULL: took it out), or the withdrawal of such a record.
CREATE TABLE text_records (
    seq            INTEGER PRIMARY KEY,
    publication_id BIGINT  NOT NULL REFERENCES publications (id),
    code           TEXT    NOT NULL,
    entry_id       TEXT    NOT NULL,
    provision_id   TEXT    NOT NULL,
    text_hash      BLOB    REFERENCES texts (hash),
    withdrawn      BOOLEAN NOT NULL
);
CREATE INDEX text_records_by_code ON text_records (code, seq);

CREATE TRIGGER texts_are_append_only_update BEFORE UPDATE ON texts
BEGIN SELECT RAISE(ABORT, 'texts are append-only'); END;
CREATE TRIGGER texts_are_append_only_delete BEFORE DELETE ON texts
BEGIN SELECT RAISE(ABORT, 'texts are append-only'); END;
CREATE TRIGGER text_records_are_append_only_update BEFORE UPDATE ON text_records
BEGIN SELECT RAISE(ABORT, 'text_records are append-only'); END;
CREATE TRIGGER text_records_are_append_only_delete BEFORE DELETE ON text_records
BEGIN SELECT RAISE(ABORT, 'text_records are append-only'); END;
