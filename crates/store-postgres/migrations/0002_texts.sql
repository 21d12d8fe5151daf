-- Provision texts: each distinct normalised text once, addressed by its SHA-256, deflate-compressed.
CREATE TABLE texts (
    hash   BYTEA  PRIMARY KEY, -- SHA-256 of the normalised text
    length BIGINT NOT NULL,    -- bytes of the text before compression
    body   BYTEA  NOT NULL     -- deflate-compressed text
);

-- Which text a version or event gave a provision (NULL: took it out), or the withdrawal of such a record.
CREATE TABLE text_records (
    seq            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    publication_id BIGINT  NOT NULL REFERENCES publications (id),
    code           TEXT    NOT NULL,
    entry_id       TEXT    NOT NULL,
    provision_id   TEXT    NOT NULL,
    text_hash      BYTEA   REFERENCES texts (hash),
    withdrawn      BOOLEAN NOT NULL
);
CREATE INDEX text_records_by_code ON text_records (code, seq);

CREATE TRIGGER texts_are_append_only BEFORE UPDATE OR DELETE ON texts
    FOR EACH ROW EXECUTE FUNCTION inforce_refuse_change();
CREATE TRIGGER text_records_are_append_only BEFORE UPDATE OR DELETE ON text_records
    FOR EACH ROW EXECUTE FUNCTION inforce_refuse_change();
