-- GitLab-style integer → bigint conversion: shadow column, trigger, backfill, swap.
ALTER TABLE public.orders ADD COLUMN id_convert_to_bigint bigint DEFAULT 0 NOT NULL;

CREATE OR REPLACE FUNCTION public.trigger_orders_id_convert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW."id_convert_to_bigint" := NEW."id";
  RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_orders_id_convert BEFORE INSERT OR UPDATE ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.trigger_orders_id_convert();

UPDATE public.orders SET id_convert_to_bigint = id WHERE id BETWEEN 1 AND 10000;

LOCK TABLE public.orders IN ACCESS EXCLUSIVE MODE;
ALTER TABLE public.orders RENAME COLUMN id TO id_convert_to_bigint_tmp;
ALTER TABLE public.orders RENAME COLUMN id_convert_to_bigint TO id;
ALTER TABLE public.orders RENAME COLUMN id_convert_to_bigint_tmp TO id_convert_to_bigint;
DROP TRIGGER IF EXISTS trigger_orders_id_convert ON public.orders;
