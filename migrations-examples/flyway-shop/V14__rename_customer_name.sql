-- The running application still selects and inserts "name": it breaks the moment this commits.
ALTER TABLE customers RENAME COLUMN name TO full_name;
