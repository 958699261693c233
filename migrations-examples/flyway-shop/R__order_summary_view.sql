-- Repeatable: Flyway re-runs this file whenever its checksum changes, after all versioned
-- migrations, so it always sees the newest column and table names.
CREATE OR REPLACE VIEW order_summary AS
SELECT o.id                   AS order_id,
       o.public_id,
       o.status,
       o.placed_at,
       c.full_name            AS customer_name,
       c.email                AS customer_email,
       count(l.id)            AS line_count,
       coalesce(sum(l.quantity * l.unit_price_cents), 0) AS lines_total_cents
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_lines l ON l.order_id = o.id
GROUP BY o.id, o.public_id, o.status, o.placed_at, c.full_name, c.email;

-- ${flyway:defaultSchema} is one of Flyway's built-in placeholders, replaced before execution.
COMMENT ON VIEW ${flyway:defaultSchema}.order_summary IS 'One row per order, for the support tool';
