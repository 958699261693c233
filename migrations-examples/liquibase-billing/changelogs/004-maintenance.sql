--liquibase formatted sql

--changeset billing:17-invoice-import-staging dbms:postgresql
--comment: UNLOGGED for a fast bulk import; made durable in changeSet 20.
CREATE UNLOGGED TABLE invoice_import (
    external_ref  text PRIMARY KEY,
    payload       jsonb NOT NULL,
    imported_at   ${timestamp_type} NOT NULL DEFAULT now()
);
--rollback DROP TABLE invoice_import;

--changeset billing:18-overdue-status-function splitStatements:false
--comment: splitStatements:false keeps the dollar-quoted body in one piece.
CREATE OR REPLACE FUNCTION invoice_is_overdue(due date, status varchar) RETURNS boolean
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    RETURN status <> 'paid' AND due < current_date;
END;
$$;
--rollback DROP FUNCTION invoice_is_overdue(date, varchar);

--changeset billing:19-drop-legacy-touch-trigger splitStatements:false
--comment: Environments restored from the 2019 dump still carry a trigger that no changelog created; the DDL is conditional and dynamic.
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_trigger
        WHERE tgname = 'invoices_touch_updated_at' AND tgrelid = 'invoices'::regclass
    ) THEN
        EXECUTE 'DROP TRIGGER invoices_touch_updated_at ON invoices';
    END IF;
    EXECUTE format('COMMENT ON COLUMN invoices.currency IS %L', 'ISO 4217 code, upper case');
END
$$;

--changeset billing:20-invoice-import-logged
--comment: Blocking: rewrites the whole table into the WAL under an AccessExclusiveLock.
ALTER TABLE invoice_import SET LOGGED;

--changeset billing:21-vacuum-full-invoices runInTransaction:false
--comment: Blocking: VACUUM FULL rewrites invoices under an AccessExclusiveLock; VACUUM cannot run in a transaction block.
VACUUM FULL invoices;
