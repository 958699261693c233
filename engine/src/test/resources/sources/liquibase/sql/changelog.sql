--liquibase formatted sql

--changeset kim:1
CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric);
CREATE INDEX payments_amount_idx
    ON payments (amount);

--changeset kim:2 context:test
INSERT INTO payments VALUES (1, 10);

--changeset kim:3 dbms:mysql
ALTER TABLE payments ENGINE=InnoDB;

--changeset kim:4 runInTransaction:false
--comment: concurrent
-- migrate:ignore-file require-timeout

DROP INDEX CONCURRENTLY payments_amount_idx;
