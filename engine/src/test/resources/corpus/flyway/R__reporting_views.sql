CREATE OR REPLACE VIEW public.order_summary AS
 SELECT c.id AS customer_id,
    count(o.id) AS orders,
    COALESCE(sum(o.total), (0)::numeric) AS revenue
   FROM (public.customers c
     LEFT JOIN public.orders o ON ((o.customer_id = c.id)))
  GROUP BY c.id;

DROP MATERIALIZED VIEW IF EXISTS public.daily_revenue;
CREATE MATERIALIZED VIEW public.daily_revenue AS
 SELECT date_trunc('day', created_at) AS day, sum(total) AS revenue
   FROM public.orders
  GROUP BY 1
  WITH NO DATA;
