-- Deliberately blocking maintenance, kept as the last versioned migration and named as such:
-- CLUSTER rewrites orders in placed_at order and holds an AccessExclusiveLock (no reads, no
-- writes) until it is done. There is no online form; pg_repack is the usual alternative.
CLUSTER orders USING orders_placed_at_idx;
