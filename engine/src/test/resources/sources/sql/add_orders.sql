-- migrate:ignore-file require-timeout
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL
);

-- lint:ignore some-other-tool
-- migrate:ignore disallowed-unique-constraint
ALTER TABLE orders ADD CONSTRAINT orders_user_uniq UNIQUE (user_id);

BEGIN;
ALTER TYPE order_state ADD VALUE 'shipped';
COMMIT;

CREATE FUNCTION order_total(o bigint) RETURNS numeric LANGUAGE plpgsql AS $fn$
BEGIN
    RETURN 0; -- not; a; split
END
$fn$;

/* migrate:backfill total_cents * 100 */ UPDATE orders SET user_id = user_id
