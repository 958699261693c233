-- Sales per product for the merchandising dashboard.
CREATE MATERIALIZED VIEW product_sales AS
SELECT p.id                          AS product_id,
       p.sku,
       coalesce(sum(oi.quantity), 0) AS units_sold
FROM products p
LEFT JOIN order_items oi ON oi.product_id = p.id
GROUP BY p.id, p.sku;

-- A unique index is what later allows REFRESH ... CONCURRENTLY.
CREATE UNIQUE INDEX product_sales_product_id_idx ON product_sales (product_id);
