-- Since PostgreSQL 12 ADD VALUE may run inside a transaction block; the new labels just cannot be
-- used before that transaction commits (Flyway commits each migration separately).
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'shipped';
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'cancelled';
