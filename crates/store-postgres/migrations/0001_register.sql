-- The append-only ledger. Rows are never updated or deleted: corrections are new records.
CREATE TABLE publications (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         TEXT   NOT NULL,
    recorded_at  BIGINT NOT NULL, -- record time, microseconds since 1970-01-01T00:00:00Z
    origin       TEXT   NOT NULL,
    record_count BIGINT NOT NULL
);
CREATE INDEX publications_by_code ON publications (code, id);

CREATE TABLE records (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    publication_id BIGINT NOT NULL REFERENCES publications (id),
    code           TEXT   NOT NULL,
    kind           TEXT   NOT NULL CHECK (kind IN ('code', 'provision', 'entry', 'consultation')),
    record_key     TEXT   NOT NULL,
    ordinal        BIGINT NOT NULL,
    body           TEXT -- a register-file fragment; NULL withdraws the key
);
CREATE INDEX records_by_code ON records (code, seq);

CREATE FUNCTION inforce_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER publications_are_append_only BEFORE UPDATE OR DELETE ON publications
    FOR EACH ROW EXECUTE FUNCTION inforce_refuse_change();
CREATE TRIGGER records_are_append_only BEFORE UPDATE OR DELETE ON records
    FOR EACH ROW EXECUTE FUNCTION inforce_refuse_change();
