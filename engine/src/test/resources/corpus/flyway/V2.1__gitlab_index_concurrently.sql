-- Non-transactional (CONCURRENTLY): Flyway runs it outside a transaction by itself.
CREATE INDEX CONCURRENTLY IF NOT EXISTS index_orders_on_project_id
    ON public.orders USING btree (project_id)
    WHERE project_id IS NOT NULL;

DROP INDEX CONCURRENTLY IF EXISTS public.index_orders_on_customer_id_and_created_at;

CREATE INDEX CONCURRENTLY index_orders_on_lower_notes ON public.orders (lower(notes) text_pattern_ops) INCLUDE (status);
