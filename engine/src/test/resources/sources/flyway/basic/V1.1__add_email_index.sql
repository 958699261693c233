CREATE INDEX users_email_idx ON ${schema}.users (email);
ALTER TABLE ${flyway:defaultSchema}.users ALTER COLUMN email SET NOT NULL;
