-- Old application versions still list fax in their INSERTs.
ALTER TABLE customers DROP COLUMN fax;
