-- Indented with tabs.
CREATE TABLE	public.tabbed (
	id	integer	NOT NULL,
	name	text
);

	ALTER TABLE public.tabbed
		ADD CONSTRAINT tabbed_pkey PRIMARY KEY (id);

CREATE	INDEX	tabbed_name_idx	ON	public.tabbed	(name);
