/* Constraints that V2 left out.
   All three are added as written by a developer in a hurry: the FOREIGN KEY and the CHECK
   validate every existing row while holding their locks, and UNIQUE builds its index under an
   AccessExclusiveLock. */
ALTER TABLE order_items
    ADD CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id);

ALTER TABLE order_items ADD CONSTRAINT order_items_quantity_positive CHECK (quantity > 0);

ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE (sku);
