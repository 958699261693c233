UPDATE users SET email = lower(email) WHERE id < 1000;
UPDATE users SET email = lower(email) WHERE id >= 1000;
