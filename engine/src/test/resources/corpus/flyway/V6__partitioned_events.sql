-- Declarative partitioning: a range-partitioned table, monthly partitions, a default partition,
-- an index on the parent only, then attached per partition.
CREATE TABLE public.events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamptz NOT NULL,
    kind text NOT NULL,
    payload jsonb,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE public.events_2024_01 PARTITION OF public.events
    FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00');
CREATE TABLE public.events_2024_02 PARTITION OF public.events
    FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00');
CREATE TABLE public.events_default PARTITION OF public.events DEFAULT;

CREATE TABLE public.events_2024_03 (LIKE public.events INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE public.events_2024_03 ADD CONSTRAINT events_2024_03_range
    CHECK (occurred_at >= '2024-03-01 00:00:00+00' AND occurred_at < '2024-04-01 00:00:00+00');
ALTER TABLE public.events ATTACH PARTITION public.events_2024_03
    FOR VALUES FROM ('2024-03-01 00:00:00+00') TO ('2024-04-01 00:00:00+00');

CREATE INDEX events_kind_idx ON ONLY public.events (kind);
CREATE INDEX events_2024_01_kind_idx ON public.events_2024_01 (kind);
ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_2024_01_kind_idx;

CREATE TABLE public.tenants_by_region (
    tenant_id uuid NOT NULL,
    region text NOT NULL
) PARTITION BY LIST (region);
CREATE TABLE public.tenants_eu PARTITION OF public.tenants_by_region FOR VALUES IN ('eu-west-1', 'eu-central-1');
CREATE TABLE public.tenants_hash (id int) PARTITION BY HASH (id);
CREATE TABLE public.tenants_hash_0 PARTITION OF public.tenants_hash FOR VALUES WITH (MODULUS 2, REMAINDER 0);

ALTER TABLE public.events DETACH PARTITION public.events_2024_01;
