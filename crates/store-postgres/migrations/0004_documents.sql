-- Documents: a record kind for their descriptions, and the files themselves, kept once per code by the SHA-256 of
-- their content.
ALTER TABLE records DROP CONSTRAINT records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_check CHECK (kind IN ('code', 'provision', 'entry', 'consultation',
    'process', 'proposal', 'planned', 'document'));

CREATE TABLE files (
    code           TEXT   NOT NULL,
    sha256         TEXT   NOT NULL, -- 64 lower-case hex digits of the SHA-256 of body
    publication_id BIGINT NOT NULL REFERENCES publications (id), -- the publication that first stored it
    size           BIGINT NOT NULL,
    body           BYTEA  NOT NULL,
    PRIMARY KEY (code, sha256)
);
CREATE TRIGGER files_are_append_only BEFORE UPDATE OR DELETE ON files
    FOR EACH ROW EXECUTE FUNCTION inforce_refuse_change();
