-- SET NOT NULL scans the whole table under an AccessExclusiveLock (no validated
-- CHECK (customer_id IS NOT NULL) exists that would let PostgreSQL 12+ skip the scan), and the
-- old application may still create guest orders without a customer.
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;

-- NOT NULL without a default: fails on a non-empty table, and old code that inserts order lines
-- without a currency fails afterwards.
ALTER TABLE order_items ADD COLUMN currency char(3) NOT NULL;
