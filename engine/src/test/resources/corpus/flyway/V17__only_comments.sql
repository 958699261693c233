-- This migration was reverted by hand; it is kept so that the version stays taken.
-- ALTER TABLE public.orders DROP COLUMN total;
/*
 * Block comment; with a semicolon.
 * /* nested */ still inside
 */
