-- Users of the shop.
CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text
);

-- squawk-ignore prefer-bigint-over-int
-- migrate:ignore prefer-text-field, require-timeout
/* migrate:backfill lower(name) */
ALTER TABLE users ADD COLUMN email varchar(255);

INSERT INTO users (id, name) VALUES (1, 'semi;colon');
-- migrate:ignore-file prefer-robust-stmts
