-- varchar(100) -> varchar(255) is binary coercible: no rewrite, the unique index on email is kept.
ALTER TABLE customers ALTER COLUMN email TYPE varchar(255);

-- NOT VALID: only new and updated rows are checked, existing rows are validated in V4.1 under a
-- ShareUpdateExclusiveLock that does not block reads or writes.
ALTER TABLE products
    ADD CONSTRAINT products_price_non_negative CHECK (price_cents >= 0) NOT VALID;
