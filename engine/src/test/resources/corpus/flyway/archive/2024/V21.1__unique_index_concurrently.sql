-- Concurrent, so in a migration of its own.
CREATE UNIQUE INDEX CONCURRENTLY customers_locale_email_idx ON public.customers (locale, email);
