-- migrate:ignore-file update-without-batches
UPDATE users SET full_name = email WHERE full_name IS NULL;
UPDATE users SET status = 'new' WHERE status IS NULL;
