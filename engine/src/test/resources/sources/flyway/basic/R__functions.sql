CREATE OR REPLACE FUNCTION user_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM users; $$;
