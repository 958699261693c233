CREATE TABLE t (id int);

INSERT INTO t VALUES ('oops);
