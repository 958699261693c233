-- Written on Windows: CRLF line endings.
CREATE TABLE public.crlf_notes (
    id integer PRIMARY KEY,
    body text
);

INSERT INTO public.crlf_notes VALUES (1, 'line one
line two');

CREATE FUNCTION public.crlf_fn() RETURNS int
LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1;
END;
$$;

ALTER TABLE public.crlf_notes
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
