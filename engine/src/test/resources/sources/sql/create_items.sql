CREATE TABLE items (id bigint PRIMARY KEY);
ALTER TABLE items ADD COLUMN name text;
