-- Undo of V3 (Flyway Teams "undo" migration; Flyway Community does not run it, so it never
-- executes in the tests, but it is part of a realistic history and Tandem must read past it).
ALTER TABLE customers DROP COLUMN marketing_opt_in;
ALTER TABLE customers DROP COLUMN phone;
