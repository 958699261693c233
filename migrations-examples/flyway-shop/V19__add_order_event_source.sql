-- Some environments were patched by hand with this column, so the DDL is guarded and dynamic.
-- A static reader cannot know what the block does; it needs a human or a traced run.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM information_schema.columns
        WHERE table_schema = current_schema()
          AND table_name = 'order_events'
          AND column_name = 'source'
    ) THEN
        EXECUTE 'ALTER TABLE order_events ADD COLUMN source text';
    END IF;
END
$$;
