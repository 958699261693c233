CREATE TABLE orders (id bigint, user_id bigint);
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);
