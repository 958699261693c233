-- Second half of the NOT VALID / VALIDATE pair started in V4, in its own transaction.
ALTER TABLE products VALIDATE CONSTRAINT products_price_non_negative;
