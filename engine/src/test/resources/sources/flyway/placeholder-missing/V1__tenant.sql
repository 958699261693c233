CREATE TABLE t (id int);

CREATE TABLE ${tenant}.t (id int);
