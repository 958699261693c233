-- Placeholders: ${schema} comes from --placeholder, ${flyway:defaultSchema} from Flyway itself.
CREATE TABLE ${schema}.audit_log (
    id bigserial PRIMARY KEY,
    table_name text NOT NULL,
    changed_by text DEFAULT '${flyway:user}' NOT NULL,
    changed_at timestamptz DEFAULT now() NOT NULL
);

COMMENT ON TABLE ${schema}.audit_log IS 'Written by triggers in ${flyway:defaultSchema}';

CREATE INDEX audit_log_table_name_idx ON ${schema}.audit_log (table_name);
