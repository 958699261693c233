--liquibase formatted sql

--changeset frank:f1
--comment: two statements
ALTER TABLE users ADD COLUMN status text;

-- migrate:ignore adding-field-with-default
ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';
--rollback ALTER TABLE users DROP COLUMN status;

--changeset frank:f2 runInTransaction:false dbms:postgresql
CREATE INDEX CONCURRENTLY users_status_idx ON users (status);
