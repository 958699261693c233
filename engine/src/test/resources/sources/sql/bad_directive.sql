CREATE TABLE t (id int);

-- migrate:ignore Set Not Null
ALTER TABLE t ALTER COLUMN id SET NOT NULL;
