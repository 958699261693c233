CREATE TABLE t (id int);

-- migrate:ignore
ALTER TABLE t ADD COLUMN a int;
