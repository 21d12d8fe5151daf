-- The change register (process, proposals, planned changes) adds record kinds.
ALTER TABLE records DROP CONSTRAINT records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_check
    CHECK (kind IN ('code', 'provision', 'entry', 'consultation', 'process', 'proposal', 'planned'));
