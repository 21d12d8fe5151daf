-- Gaps: a record kind for stretches between two recorded versions where versions are missing.
ALTER TABLE records DROP CONSTRAINT records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_check CHECK (kind IN ('code', 'provision', 'entry', 'consultation',
    'process', 'proposal', 'planned', 'document', 'gap'));
