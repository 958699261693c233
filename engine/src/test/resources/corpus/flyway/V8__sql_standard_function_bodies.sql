-- PG 14+: SQL-standard function bodies; the semicolons inside BEGIN ATOMIC … END do not end
-- the statement.
CREATE OR REPLACE FUNCTION public.client_display_name(c public.client) RETURNS text
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT CASE WHEN c.base_url IS NULL THEN c.client_id ELSE c.client_id || ' (' || c.base_url || ')' END;
END;

CREATE FUNCTION public.realm_client_count(rid varchar) RETURNS bigint
    LANGUAGE sql
    BEGIN ATOMIC
        SELECT count(*) FROM public.client WHERE realm_id = rid;
    END;

CREATE PROCEDURE public.disable_client(cid varchar)
LANGUAGE sql
BEGIN ATOMIC
    UPDATE public.client SET secret = coalesce(secret, '') || ' [disabled; by proc]' WHERE id = cid;
    DELETE FROM public.client_attributes WHERE client_id = cid AND name = 'case';
END;

CREATE FUNCTION public.add_one(integer) RETURNS integer
    RETURN $1 + 1;

CALL public.disable_client('none');
