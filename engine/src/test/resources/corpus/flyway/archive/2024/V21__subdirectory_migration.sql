-- Flyway scans subdirectories too; the script is reported as archive/2024/V21__….
ALTER TABLE public.customers ADD COLUMN IF NOT EXISTS locale text DEFAULT 'en' NOT NULL;
