-- Provision texts, per publication: the texts it introduced, in one deflate-compressed pack (consecutive wordings
-- of a provision sit side by side, so they compress against each other as git's deltas do), and the text changes it
-- made, in one compressed list that names texts by their position in the code's packs. Texts are addressed by the
-- SHA-256 of their normalised content, computed when read; each pack keeps a checksum of its content.
CREATE TABLE text_packs (
    publication_id BIGINT PRIMARY KEY REFERENCES publications (id),
    code           TEXT   NOT NULL,
    text_count     BIGINT NOT NULL,
    checksum       BLOB   NOT NULL, -- SHA-256 of the uncompressed pack
    body           BLOB   NOT NULL
);
CREATE INDEX text_packs_by_code ON text_packs (code, publication_id);

CREATE TABLE text_changes (
    publication_id BIGINT PRIMARY KEY REFERENCES publications (id),
    code           TEXT   NOT NULL,
    change_count   BIGINT NOT NULL,
    body           BLOB   NOT NULL -- compressed lines: entry, provision, text position or '-', withdrawn mark
);
CREATE INDEX text_changes_by_code ON text_changes (code, publication_id);

CREATE TRIGGER text_packs_are_append_only_update BEFORE UPDATE ON text_packs
BEGIN SELECT RAISE(ABORT, 'text_packs are append-only'); END;
CREATE TRIGGER text_packs_are_append_only_delete BEFORE DELETE ON text_packs
BEGIN SELECT RAISE(ABORT, 'text_packs are append-only'); END;
CREATE TRIGGER text_changes_are_append_only_update BEFORE UPDATE ON text_changes
BEGIN SELECT RAISE(ABORT, 'text_changes are append-only'); END;
CREATE TRIGGER text_changes_are_append_only_delete BEFORE DELETE ON text_changes
BEGIN SELECT RAISE(ABORT, 'text_changes are append-only'); END;
