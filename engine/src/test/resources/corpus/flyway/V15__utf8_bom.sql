-- Saved by an editor that writes a UTF-8 byte order mark.
CREATE TABLE public.bom_table (id int PRIMARY KEY);

ALTER TABLE public.bom_table ADD COLUMN label text;
