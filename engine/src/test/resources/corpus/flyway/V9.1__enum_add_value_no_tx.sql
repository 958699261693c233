ALTER TYPE public.order_status ADD VALUE IF NOT EXISTS 'on_hold';
