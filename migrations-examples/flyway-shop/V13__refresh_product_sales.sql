-- Without CONCURRENTLY the refresh holds an AccessExclusiveLock on product_sales: the dashboard's
-- reads wait until the whole query has been recomputed.
REFRESH MATERIALIZED VIEW product_sales;
