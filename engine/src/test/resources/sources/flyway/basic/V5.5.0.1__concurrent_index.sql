-- Flyway runs this outside a transaction: CREATE INDEX CONCURRENTLY cannot run in one.
CREATE INDEX CONCURRENTLY users_status_idx ON users (status);
