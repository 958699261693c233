-- SET NOT NULL scans the whole table under an AccessExclusiveLock (no validated
-- CHECK (customer_id IS NOT NULL) exists that would let PostgreSQL 12+ skip the scan), and the
-- old application may still create guest orders without a customer.
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;

-- NOT NULL without a default: fails on a non-empty table, and old code that inserts order lines
-- without a currency fails afterwards. The annotation gives Tandem the value for the rows that
-- exist and for those the old code writes until it is gone (Flyway reads it as a comment).
-- migrate:backfill 'EUR'
ALTER TABLE order_items ADD COLUMN currency char(3) NOT NULL;
