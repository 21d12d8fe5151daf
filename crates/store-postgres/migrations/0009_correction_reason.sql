-- Why a publication replaces recorded text or records (`--replace --reason TEXT`): NULL for every other
-- publication, and for every one made before this migration. Its digest covers it (encoding
-- inforce-publication-v2, used exactly when a publication has a reason). Adding a column rewrites no row, so
-- the append-only triggers stand.
ALTER TABLE publications ADD COLUMN reason TEXT;
