-- CONCURRENTLY cannot run inside a transaction block, so this statement is alone in its file and
-- V5__index_orders_by_customer.sql.conf tells Flyway not to wrap it in a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);
