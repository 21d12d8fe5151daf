-- Who made each publication, with which command, and the publication its writes were computed against.
-- Publications made before this migration have none of these: an empty author and command, and no base, read
-- as "not recorded". Adding columns rewrites no row, so the append-only triggers stand.
ALTER TABLE publications ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE publications ADD COLUMN command TEXT NOT NULL DEFAULT '';
ALTER TABLE publications ADD COLUMN base BIGINT;
