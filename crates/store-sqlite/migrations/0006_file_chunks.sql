-- Document files in pieces of 256 KiB (262,144 bytes), numbered from 0: a file is read, checked and served a piece
-- at a time, so a download holds one piece in memory, never the whole file. Existing files move into pieces with
-- every byte kept; the bodies they leave behind in `files` are emptied (the pieces are now the file), which needs
-- the append-only trigger lifted for this one statement.
CREATE TABLE file_chunks (
    code   TEXT    NOT NULL,
    sha256 TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    body   BLOB    NOT NULL,
    PRIMARY KEY (code, sha256, seq)
);
CREATE TRIGGER file_chunks_are_append_only_update BEFORE UPDATE ON file_chunks
BEGIN SELECT RAISE(ABORT, 'file chunks are append-only'); END;
CREATE TRIGGER file_chunks_are_append_only_delete BEFORE DELETE ON file_chunks
BEGIN SELECT RAISE(ABORT, 'file chunks are append-only'); END;

WITH RECURSIVE pieces (code, sha256, seq) AS (
    SELECT code, sha256, 0 FROM files WHERE size > 0
    UNION ALL
    SELECT p.code, p.sha256, p.seq + 1 FROM pieces p JOIN files f ON f.code = p.code AND f.sha256 = p.sha256
    WHERE (p.seq + 1) * 262144 < f.size
)
INSERT INTO file_chunks (code, sha256, seq, body)
SELECT p.code, p.sha256, p.seq, substr(f.body, p.seq * 262144 + 1, 262144)
FROM pieces p JOIN files f ON f.code = p.code AND f.sha256 = p.sha256;

DROP TRIGGER files_are_append_only_update;
UPDATE files SET body = x'';
CREATE TRIGGER files_are_append_only_update BEFORE UPDATE ON files
BEGIN SELECT RAISE(ABORT, 'files are append-only'); END;
