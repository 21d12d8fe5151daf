-- Document files in pieces of 256 KiB (262,144 bytes), numbered from 0: a file is read, checked and served a piece
-- at a time, so a download holds one piece in memory, never the whole file. Existing files move into pieces with
-- every byte kept; the bodies they leave behind in `files` are emptied (the pieces are now the file), which needs
-- the append-only trigger lifted for this one statement.
CREATE TABLE file_chunks (
    code   TEXT    NOT NULL,
    sha256 TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    body   BYTEA   NOT NULL,
    PRIMARY KEY (code, sha256, seq)
);
-- The pieces are read as they are: compressing random-access pieces of (mostly compressed) documents gains little.
ALTER TABLE file_chunks ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE TRIGGER file_chunks_are_append_only BEFORE UPDATE OR DELETE ON file_chunks
    FOR EACH ROW EXECUTE FUNCTION inforce_refuse_change();

INSERT INTO file_chunks (code, sha256, seq, body)
WITH RECURSIVE pieces (code, sha256, seq) AS (
    SELECT code, sha256, 0 FROM files WHERE size > 0
    UNION ALL
    SELECT p.code, p.sha256, p.seq + 1 FROM pieces p JOIN files f ON f.code = p.code AND f.sha256 = p.sha256
    WHERE (p.seq + 1) * 262144 < f.size
)
SELECT p.code, p.sha256, p.seq, substring(f.body FROM p.seq * 262144 + 1 FOR 262144)
FROM pieces p JOIN files f ON f.code = p.code AND f.sha256 = p.sha256;

ALTER TABLE files DISABLE TRIGGER files_are_append_only;
UPDATE files SET body = '\x'::bytea;
ALTER TABLE files ENABLE TRIGGER files_are_append_only;
