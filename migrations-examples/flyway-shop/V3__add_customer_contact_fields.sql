-- Nullable column without default: catalog-only change, old code simply ignores it.
ALTER TABLE customers ADD COLUMN phone text;

-- Constant default: since PostgreSQL 11 stored as a "missing value", no table rewrite.
ALTER TABLE customers ADD COLUMN marketing_opt_in boolean NOT NULL DEFAULT false;
