-- The publication log: each publication's digest, SHA-256 over the canonical encoding of its content and the
-- digest of the code's previous publication (inforce_core::log). Written in the publication's own transaction,
-- except for publications made before this migration: their digests cannot be computed in SQL, so the store
-- computes them when it is first opened and says so (`computed_at`, the time it did; NULL when the digest was
-- written with its publication).
CREATE TABLE publication_digests (
    publication_id BIGINT PRIMARY KEY REFERENCES publications (id),
    code           TEXT   NOT NULL,
    sequence       BIGINT NOT NULL, -- the publication's place in its code's log, from 1
    digest         BLOB   NOT NULL, -- 32 bytes
    computed_at    BIGINT,          -- microseconds since 1970-01-01T00:00:00Z, when computed after the fact
    UNIQUE (code, sequence)
);
CREATE TRIGGER publication_digests_are_append_only_update BEFORE UPDATE ON publication_digests
BEGIN SELECT RAISE(ABORT, 'publication digests are append-only'); END;
CREATE TRIGGER publication_digests_are_append_only_delete BEFORE DELETE ON publication_digests
BEGIN SELECT RAISE(ABORT, 'publication digests are append-only'); END;

-- The last publication made before the log existed: only publications up to it may be given a digest after the
-- fact. One made later without a digest was not made by inforce, and verification says so.
CREATE TABLE log_start (
    before_publication BIGINT NOT NULL
);
INSERT INTO log_start (before_publication) SELECT COALESCE(MAX(id), 0) FROM publications;
CREATE TRIGGER log_start_is_fixed_update BEFORE UPDATE ON log_start
BEGIN SELECT RAISE(ABORT, 'the start of the log is fixed'); END;
CREATE TRIGGER log_start_is_fixed_delete BEFORE DELETE ON log_start
BEGIN SELECT RAISE(ABORT, 'the start of the log is fixed'); END;
CREATE TRIGGER log_start_is_fixed_insert BEFORE INSERT ON log_start
BEGIN SELECT RAISE(ABORT, 'the start of the log is fixed'); END;
