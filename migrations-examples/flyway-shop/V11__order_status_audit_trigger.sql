CREATE TABLE order_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint NOT NULL,
    old_status  order_status,
    new_status  order_status NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);

/* Audit trail for status changes.
   /* Nested comments are legal in PostgreSQL (and only there): a splitter that stops at the
      first closing marker would cut this file in the wrong place. */
   The function body is dollar-quoted, so its semicolons do not end the statement. */
CREATE OR REPLACE FUNCTION log_order_status_change() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    -- A bare $$ here is plain text: only the matching tag closes the body.
    INSERT INTO order_events (order_id, old_status, new_status)
    VALUES (NEW.id, OLD.status, NEW.status);
    RETURN NEW;
END;
$fn$;

-- CREATE TRIGGER takes a brief ShareRowExclusiveLock on orders; no scan.
CREATE TRIGGER orders_status_audit
    AFTER UPDATE OF status ON orders
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION log_order_status_change();
