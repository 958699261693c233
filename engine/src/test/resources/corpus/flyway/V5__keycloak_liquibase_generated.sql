-- *********************************************************************
-- Update Database Script
-- *********************************************************************
-- Change Log: META-INF/jpa-changelog-1.0.0.Final.xml
-- Ran at: 3/4/24, 10:12 AM
-- Against: keycloak@jdbc:postgresql://localhost:5432/keycloak
-- Liquibase version: 4.25.1
-- *********************************************************************

-- Create Database Lock Table
CREATE TABLE public.databasechangeloglock (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, LOCKGRANTED TIMESTAMP WITHOUT TIME ZONE, LOCKEDBY VARCHAR(255), CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (ID));

-- Initialize Database Lock Table
DELETE FROM public.databasechangeloglock;

INSERT INTO public.databasechangeloglock (ID, LOCKED) VALUES (1, FALSE);

-- Lock Database
UPDATE public.databasechangeloglock SET LOCKED = TRUE, LOCKEDBY = 'keycloak-0 (10.1.2.3)', LOCKGRANTED = NOW() WHERE ID = 1 AND LOCKED = FALSE;

-- Create Database Change Log Table
CREATE TABLE public.databasechangelog (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP WITHOUT TIME ZONE NOT NULL, ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10));

-- Changeset META-INF/jpa-changelog-1.0.0.Final.xml::1.0.0.Final-KEYCLOAK-5461::sthorger@redhat.com
CREATE TABLE public.realm (id VARCHAR(36) NOT NULL, access_code_lifespan INTEGER, user_action_lifespan INTEGER, enabled BOOLEAN DEFAULT FALSE NOT NULL, name VARCHAR(255), CONSTRAINT "REALMPK" PRIMARY KEY (id));

CREATE TABLE public.client (id VARCHAR(36) NOT NULL, enabled BOOLEAN DEFAULT FALSE NOT NULL, full_scope_allowed BOOLEAN DEFAULT FALSE NOT NULL, client_id VARCHAR(255), not_before INTEGER, public_client BOOLEAN DEFAULT FALSE NOT NULL, secret VARCHAR(255), base_url VARCHAR(255), bearer_only BOOLEAN DEFAULT FALSE NOT NULL, management_url VARCHAR(255), surrogate_auth_required BOOLEAN DEFAULT FALSE NOT NULL, realm_id VARCHAR(36), CONSTRAINT "CLIENTPK" PRIMARY KEY (id));

CREATE TABLE public.client_attributes (client_id VARCHAR(36) NOT NULL, value VARCHAR(4000), name VARCHAR(255) NOT NULL);

ALTER TABLE public.client_attributes ADD CONSTRAINT "CLIENT_ATTRIBUTES_PK" PRIMARY KEY (client_id, name);

ALTER TABLE public.client ADD CONSTRAINT uk_b71cjlbenv945rb6gcon438at UNIQUE (realm_id, client_id);

ALTER TABLE public.client_attributes ADD CONSTRAINT fk3c47c64beacca966 FOREIGN KEY (client_id) REFERENCES public.client (id) ON UPDATE RESTRICT ON DELETE RESTRICT;

ALTER TABLE public.client ADD CONSTRAINT fk_p56ctinxxb9gsk57fo49f9tac FOREIGN KEY (realm_id) REFERENCES public.realm (id) ON UPDATE RESTRICT ON DELETE RESTRICT;

-- Changeset META-INF/jpa-changelog-1.1.0.Beta1.xml::1.1.0.Beta1::sthorger@redhat.com
ALTER TABLE public.client ADD frontchannel_logout BOOLEAN DEFAULT FALSE;

ALTER TABLE public.realm ADD otp_policy_counter INTEGER DEFAULT 0;

UPDATE public.client SET frontchannel_logout = FALSE WHERE frontchannel_logout IS NULL;

ALTER TABLE public.client ALTER COLUMN  frontchannel_logout SET NOT NULL;

CREATE INDEX idx_client_att_by_name_value ON public.client_attributes(name, substr(value,1,255));

ALTER TABLE public.realm RENAME COLUMN access_code_lifespan TO access_code_lifespan_login;

ALTER TABLE public.client_attributes ALTER COLUMN value TYPE TEXT USING (value::TEXT);

INSERT INTO public.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('1.1.0.Beta1', 'sthorger@redhat.com', 'META-INF/jpa-changelog-1.1.0.Beta1.xml', NOW(), 2, '9:0cc9e5b3e4b1e0c7b1a0a0e0e0e0e0e0', 'addColumn tableName=client; update tableName=client; addNotNullConstraint tableName=client', '', 'EXECUTED', NULL, NULL, '4.25.1', '9547127001');

-- Release Database Lock
UPDATE public.databasechangeloglock SET LOCKED = FALSE, LOCKEDBY = NULL, LOCKGRANTED = NULL WHERE ID = 1;
