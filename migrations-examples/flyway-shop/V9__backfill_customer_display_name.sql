ALTER TABLE customers ADD COLUMN display_name text;

COMMENT ON COLUMN customers.display_name IS E'Name shown in the storefront header.\nFalls back to the local part of the e-mail address.';

-- One UPDATE over the whole table: every row is locked and rewritten in a single transaction.
UPDATE customers SET display_name = coalesce(name, split_part(email, '@', 1));
