-- H2 2.5.252; 
SET WRITE_DELAY 0;             
;              
CREATE USER IF NOT EXISTS "" SALT '' HASH '' ADMIN;            
CREATE CACHED TABLE "public"."flyway_history_crypto"(
    "installed_rank" INTEGER NOT NULL,
    "version" CHARACTER VARYING(50),
    "description" CHARACTER VARYING(200) NOT NULL,
    "type" CHARACTER VARYING(20) NOT NULL,
    "script" CHARACTER VARYING(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" CHARACTER VARYING(100) NOT NULL,
    "installed_on" TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);           
ALTER TABLE "public"."flyway_history_crypto" ADD CONSTRAINT "public"."flyway_history_crypto_pk" PRIMARY KEY("installed_rank"); 
-- 2 +/- SELECT COUNT(*) FROM public.flyway_history_crypto;    
INSERT INTO "public"."flyway_history_crypto" VALUES
(-1, NULL, '<< Flyway Schema History table created >>', 'TABLE', '', NULL, '', TIMESTAMP '2026-12-01 15:21:54.348185', 0, TRUE),
(1, '1', 'keys', 'SQL', 'V1__keys.sql', -1178338630, '', TIMESTAMP '2026-12-01 15:21:54.435311', 18, TRUE);               
CREATE INDEX "public"."flyway_history_crypto_s_idx" ON "public"."flyway_history_crypto"("success" NULLS LAST); 
CREATE CACHED TABLE "public"."crypto_keyring_state"(
    "id" INTEGER NOT NULL,
    "version" BIGINT NOT NULL
);               
ALTER TABLE "public"."crypto_keyring_state" ADD CONSTRAINT "public"."CONSTRAINT_A" PRIMARY KEY("id");          
-- 1 +/- SELECT COUNT(*) FROM public.crypto_keyring_state;     
INSERT INTO "public"."crypto_keyring_state" VALUES
(1, 1);     
CREATE CACHED TABLE "public"."crypto_keyring"(
    "key_id" INTEGER NOT NULL,
    "is_primary" BOOLEAN NOT NULL,
    "wrapped_key" BINARY VARYING NOT NULL,
    "root_key_id" CHARACTER VARYING(300) NOT NULL,
    "reserved" BIGINT DEFAULT 0 NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
); 
ALTER TABLE "public"."crypto_keyring" ADD CONSTRAINT "public"."CONSTRAINT_AD" PRIMARY KEY("key_id");           
-- 1 +/- SELECT COUNT(*) FROM public.crypto_keyring;           
INSERT INTO "public"."crypto_keyring" VALUES
(1373113807, TRUE, X'01c10125935385092928292c3e31b0ddb58991247208e094dc5951a616acce3500c4fde9c00aa71c5eebbfdd5c093386abe66d5095034b2640038c8df0', 'file:b1da65ccc91a53fd', 1048576, TIMESTAMP WITH TIME ZONE '2026-12-01 15:21:55.663796+00');    
CREATE CACHED TABLE "public"."crypto_tenant_keys"(
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "wrapped_key" BINARY VARYING NOT NULL,
    "root_key_id" CHARACTER VARYING(300) NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
);           
ALTER TABLE "public"."crypto_tenant_keys" ADD CONSTRAINT "public"."CONSTRAINT_E" PRIMARY KEY("tenant");        
-- 1 +/- SELECT COUNT(*) FROM public.crypto_tenant_keys;       
INSERT INTO "public"."crypto_tenant_keys" VALUES
('demo', X'01e88df55c7b8616d1ca4252400d32faaba1edd25a86c901d6d6d39104000e8c96d9173447f0fdd6888f332a792b3f463525c0b60f6c9b44bdf49764ca', 'file:b1da65ccc91a53fd', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.143491+00');   
CREATE CACHED TABLE "public"."crypto_subject_keys"(
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "subject" CHARACTER VARYING(256) NOT NULL,
    "key_id" INTEGER NOT NULL,
    "wrapped_key" BINARY VARYING NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
);               
ALTER TABLE "public"."crypto_subject_keys" ADD CONSTRAINT "public"."CONSTRAINT_B" PRIMARY KEY("tenant", "subject");            
-- 2 +/- SELECT COUNT(*) FROM public.crypto_subject_keys;      
INSERT INTO "public"."crypto_subject_keys" VALUES
('demo', 'user-42', 1439459995, X'01c46768ebdfa7113fa922e2b3076c63b785d0db60e1aa2fec771109775c904f2db40cfda2ce0231e7cdfaa9b5327409e3950d52712654cb10874feb94', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.15385+00'),
('demo', 'user-44', -116739227, X'0161699bf5aa0a4a6dfd868837dc45e786d6b6fa99afd74b889448e6d7a366dfe08a25c36cae1e2070fc882f2a03f96f5591c04cc19d9fe20443a00661', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.202315+00');           
CREATE CACHED TABLE "public"."crypto_shredded_keys"(
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "subject" CHARACTER VARYING(256) NOT NULL,
    "key_id" INTEGER NOT NULL,
    "shredded_at" TIMESTAMP WITH TIME ZONE NOT NULL
);        
ALTER TABLE "public"."crypto_shredded_keys" ADD CONSTRAINT "public"."CONSTRAINT_5" PRIMARY KEY("tenant", "subject", "key_id"); 
-- 0 +/- SELECT COUNT(*) FROM public.crypto_shredded_keys;     
CREATE CACHED TABLE "public"."crypto_rewrap_jobs"(
    "name" CHARACTER VARYING(200) NOT NULL,
    "last_id" CHARACTER VARYING(256),
    "rows_scanned" BIGINT NOT NULL,
    "rows_rewrapped" BIGINT NOT NULL,
    "rows_failed" BIGINT NOT NULL,
    "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "finished_at" TIMESTAMP WITH TIME ZONE
);        
ALTER TABLE "public"."crypto_rewrap_jobs" ADD CONSTRAINT "public"."CONSTRAINT_2" PRIMARY KEY("name");          
-- 0 +/- SELECT COUNT(*) FROM public.crypto_rewrap_jobs;       
CREATE CACHED TABLE "public"."flyway_history_audit"(
    "installed_rank" INTEGER NOT NULL,
    "version" CHARACTER VARYING(50),
    "description" CHARACTER VARYING(200) NOT NULL,
    "type" CHARACTER VARYING(20) NOT NULL,
    "script" CHARACTER VARYING(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" CHARACTER VARYING(100) NOT NULL,
    "installed_on" TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);            
ALTER TABLE "public"."flyway_history_audit" ADD CONSTRAINT "public"."flyway_history_audit_pk" PRIMARY KEY("installed_rank");   
-- 4 +/- SELECT COUNT(*) FROM public.flyway_history_audit;     
INSERT INTO "public"."flyway_history_audit" VALUES
(-1, NULL, '<< Flyway Schema History table created >>', 'TABLE', '', NULL, '', TIMESTAMP '2026-12-01 15:21:54.505206', 0, TRUE),
(1, '0', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, '', TIMESTAMP '2026-12-01 15:21:54.510825', 0, TRUE),
(2, '1', 'audit log', 'SQL', 'V1__audit_log.sql', 1441520482, '', TIMESTAMP '2026-12-01 15:21:54.565778', 25, TRUE),
(3, '2', 'append only', 'SQL', 'V2__append_only.sql', -1200216106, '', TIMESTAMP '2026-12-01 15:21:54.591364', 16, TRUE);          
CREATE INDEX "public"."flyway_history_audit_s_idx" ON "public"."flyway_history_audit"("success" NULLS LAST);   
CREATE CACHED TABLE "public"."audit_state"(
    "id" INTEGER NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "root" BINARY VARYING NOT NULL,
    "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL
);              
ALTER TABLE "public"."audit_state" ADD CONSTRAINT "public"."CONSTRAINT_3" PRIMARY KEY("id");   
-- 1 +/- SELECT COUNT(*) FROM public.audit_state;              
INSERT INTO "public"."audit_state" VALUES
(1, 12, X'6eb73afe26226536d8f2a9beffc4b1a7b0e8bb05fa352f3937e0806ad075773b', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.269751+00');              
CREATE CACHED TABLE "public"."audit_entries"(
    "seq" BIGINT NOT NULL,
    "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "actor" CHARACTER VARYING(256) NOT NULL,
    "actor_role" CHARACTER VARYING(128),
    "subject" CHARACTER VARYING(256),
    "action" CHARACTER VARYING(40) NOT NULL,
    "purpose" CHARACTER VARYING(128),
    "legal_basis" CHARACTER VARYING(64),
    "categories" CHARACTER VARYING(2000),
    "recipient" CHARACTER VARYING(256),
    "request_id" CHARACTER VARYING(128),
    "outcome" CHARACTER VARYING(20) NOT NULL,
    "body_hash" BINARY VARYING,
    "leaf_hash" BINARY VARYING NOT NULL
);        
ALTER TABLE "public"."audit_entries" ADD CONSTRAINT "public"."CONSTRAINT_9" PRIMARY KEY("seq");
-- 12 +/- SELECT COUNT(*) FROM public.audit_entries;           
INSERT INTO "public"."audit_entries" VALUES
(0, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.003097+00', 'demo', 'svc:consent-ledger', NULL, 'user-42', 'CONSENT_GIVEN', 'email_marketing', 'gdpr:consent', NULL, NULL, '03d119bb-fe51-4d22-83d3-7b88344ff864', 'SUCCESS', NULL, X'43d7d44fb74afa865c9b7b4650acf16d9e866eeb8e02b51e17297d7e05c9416d'),
(1, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.026801+00', 'demo', 'dev-backend', NULL, 'user-42', 'WRITE', NULL, NULL, NULL, NULL, '31d01ff0-3f18-4fb1-8e68-d5111b2d9d8a', 'SUCCESS', NULL, X'6ada89a399041aa71693aea3b8adff30f9006e8303185b9e9135acb5bea79a8a'),
(2, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.058691+00', 'demo', 'svc:consent-ledger', NULL, 'user-43', 'CONSENT_GIVEN', 'email_marketing', 'gdpr:consent', NULL, NULL, 'd60b4eb2-4df6-4482-b0de-ee5956ab2540', 'SUCCESS', NULL, X'5f4b431173db7ecbc21ae4acad8e86c8cdaf22bd0fcc2880b94f3224e3eb6112'),
(3, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.068423+00', 'demo', 'dev-backend', NULL, 'user-43', 'WRITE', NULL, NULL, NULL, NULL, 'f2f42362-7e85-4c61-8a6b-ef07404be4c5', 'SUCCESS', NULL, X'658f9bb4bf0e1f3b0026958926b692c53057a2d0722013ff2b386346e49767b9'),
(4, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.10822+00', 'demo', 'svc:consent-ledger', NULL, 'user-43', 'CONSENT_WITHDRAWN', 'email_marketing', 'gdpr:consent', NULL, NULL, '373aa438-4d80-46a6-b96f-ad3218f0a484', 'SUCCESS', NULL, X'b28ca72610b14c3595635d18e870babf1db783fa6fbc3d54f32e1f6fca993028'),
(5, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.115538+00', 'demo', 'dev-backend', NULL, 'user-43', 'WRITE', NULL, NULL, NULL, NULL, '10173acd-cef2-457d-a7b8-9440b2c55a3e', 'SUCCESS', NULL, X'0f7df2fb913b88d438c9aadc7844943331afbafeb6413eb57dc03e1d925ac882'),
(6, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.138714+00', 'demo', 'agent-7', NULL, 'user-42', 'READ', 'email_marketing', NULL, 'user.contact.email', NULL, NULL, 'SUCCESS', X'8055463e80a8365506690dbc5c7a8c507543ab752ce2e21cee2cb6d0efac8106', X'966d34feb93abc323111e33a4a4fc0139bd9c6eb9dbda3a409f4eca5ba44958d'),
(7, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.173564+00', 'demo', 'dev-backend', NULL, NULL, 'WRITE', NULL, NULL, NULL, NULL, 'd7cea4c1-a838-4b21-a180-956c1bed3072', 'SUCCESS', NULL, X'aef941a4795052c81ebfc7b6ee667fe3eca9d54c30e37c5e74805bf38d544f42'),
(8, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.201531+00', 'demo', 'svc:dsr', NULL, 'user-44', 'DSR_RECEIVED', NULL, NULL, NULL, NULL, 'a673640b-d432-491e-8766-a6a331d82e0b', 'SUCCESS', X'cca7a65c34e9f80324a1ae3d5078cd24ccfba64f3e94fac6fc02518f242f694d', X'3889b92c7ef6de6e98fe5af1e65f66296dc77494f39e24e2e2bc3322783f353f'),
(9, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.209998+00', 'demo', 'dev-backend', NULL, NULL, 'WRITE', NULL, NULL, NULL, NULL, '8ed05c10-44b5-4e5a-8631-d71f460ca449', 'SUCCESS', NULL, X'830c25836762b80924793d15e2e75473e96038c31ca74baa5561ca082fcc571d'),
(10, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.236626+00', 'demo', 'dev-backend', NULL, NULL, 'WRITE', NULL, NULL, NULL, NULL, '95bcc3d6-cbd0-40b5-a889-a0e4ed611f56', 'SUCCESS', NULL, X'9535a93d7d8b98f3d49295e54883d9fc85f2b37345c3d74cb0d515a3d2a40fa8'),
(11, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.269221+00', 'demo', 'dev-backend', NULL, NULL, 'WRITE', NULL, NULL, NULL, NULL, 'b0e47c01-44f3-46a6-85fa-0867878d715d', 'SUCCESS', NULL, X'd36f61566822a0d7fd215f6f56a4d1ef8bd1cfe0e903225dfddd4348ebce6ca0');  
CREATE INDEX "public"."audit_entries_subject" ON "public"."audit_entries"("tenant" NULLS LAST, "subject" NULLS LAST, "seq" NULLS LAST);        
CREATE INDEX "public"."audit_entries_actor" ON "public"."audit_entries"("tenant" NULLS LAST, "actor" NULLS LAST, "seq" NULLS LAST);            
CREATE INDEX "public"."audit_entries_purpose" ON "public"."audit_entries"("tenant" NULLS LAST, "purpose" NULLS LAST, "seq" NULLS LAST);        
CREATE INDEX "public"."audit_entries_time" ON "public"."audit_entries"("recorded_at" NULLS LAST);              
CREATE CACHED TABLE "public"."audit_bodies"(
    "seq" BIGINT NOT NULL,
    "body" BINARY VARYING NOT NULL
);  
ALTER TABLE "public"."audit_bodies" ADD CONSTRAINT "public"."CONSTRAINT_94" PRIMARY KEY("seq");
-- 2 +/- SELECT COUNT(*) FROM public.audit_bodies;             
INSERT INTO "public"."audit_bodies" VALUES
(6, X'010155cc6a9bc14a6b80de50ebc4038dfe1f86e445845a83d7c910ec1d96c53b374ccadcfe43'),
(8, X'0101f90ab3657f43bdbc0cdfce1e58baa74bbf02178649c0a1ffe8e4ae6f64fc489a7c36f78c04b04b3af00c23b9655d76919f21ea19a3a5550c46957af9ba956317800ca018df62');     
CREATE CACHED TABLE "public"."audit_subtrees"(
    "level" INTEGER NOT NULL,
    "idx" BIGINT NOT NULL,
    "end_leaf" BIGINT NOT NULL,
    "hash" BINARY VARYING NOT NULL
);  
ALTER TABLE "public"."audit_subtrees" ADD CONSTRAINT "public"."CONSTRAINT_E5" PRIMARY KEY("level", "idx");     
-- 0 +/- SELECT COUNT(*) FROM public.audit_subtrees;           
CREATE INDEX "public"."audit_subtrees_end" ON "public"."audit_subtrees"("end_leaf" NULLS LAST);
CREATE CACHED TABLE "public"."audit_checkpoints"(
    "tree_size" BIGINT NOT NULL,
    "root" BINARY VARYING NOT NULL,
    "note" CHARACTER VARYING(4000) NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
);      
ALTER TABLE "public"."audit_checkpoints" ADD CONSTRAINT "public"."CONSTRAINT_B3" PRIMARY KEY("tree_size");     
-- 2 +/- SELECT COUNT(*) FROM public.audit_checkpoints;        
INSERT INTO "public"."audit_checkpoints" VALUES
(0, X'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', U&'privacykit.local/audit/5f83cd95-0188-4e22-9bab-81602af22026\000a0\000a47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\000a\000a\2014 privacykit-audit 6oECogsuIsQlCp6a4Ffqcsm5kull/luMloXQb12BWxtkJl6K3HFy5ZrAmLt8lmOVOp6Z9P3idfNYzGurrVxsAlA7CAg=\000a', TIMESTAMP WITH TIME ZONE '2026-12-01 15:21:56.725085+00'),
(12, X'6eb73afe26226536d8f2a9beffc4b1a7b0e8bb05fa352f3937e0806ad075773b', U&'privacykit.local/audit/5f83cd95-0188-4e22-9bab-81602af22026\000a12\000abrc6/iYiZTbY8qm+/8Sxp7DouwX6NS85N+CAatB1dzs=\000a\000a\2014 privacykit-audit 6oECoo9XBMFTLgX+53GTLuNrebkTYgoYUZRJvagzqTGH4DLJfsiiHiJl6l+C9R2K9bHuVxd00uImfT0lEQViyD595Ak=\000a', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.775477+00');  
CREATE CACHED TABLE "public"."audit_signing_keys"(
    "name" CHARACTER VARYING(200) NOT NULL,
    "public_key" BINARY VARYING NOT NULL,
    "wrapped_key" BINARY VARYING NOT NULL,
    "root_key_id" CHARACTER VARYING(300) NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
);   
ALTER TABLE "public"."audit_signing_keys" ADD CONSTRAINT "public"."CONSTRAINT_BD" PRIMARY KEY("name");         
-- 1 +/- SELECT COUNT(*) FROM public.audit_signing_keys;       
INSERT INTO "public"."audit_signing_keys" VALUES
('privacykit-audit', X'e2cff3259d37072744b6140666e1b5d51ae2c5e2689a2cc6982b3ec96a044956', X'01a1a6e47485e7296685ef1c1fb16a746e78fbd9b8da5fee42aba05223905e6a594b6622ddffacba3c8f356f6e404fe9439d967e04262dce97dad517b9', 'file:b1da65ccc91a53fd', TIMESTAMP WITH TIME ZONE '2026-12-01 15:21:55.689315+00');  
CREATE CACHED TABLE "public"."audit_prunes"(
    "before_seq" BIGINT NOT NULL,
    "pruned_at" TIMESTAMP WITH TIME ZONE NOT NULL
);            
ALTER TABLE "public"."audit_prunes" ADD CONSTRAINT "public"."CONSTRAINT_AC" PRIMARY KEY("before_seq");         
-- 0 +/- SELECT COUNT(*) FROM public.audit_prunes;             
CREATE CACHED TABLE "public"."flyway_history_consent"(
    "installed_rank" INTEGER NOT NULL,
    "version" CHARACTER VARYING(50),
    "description" CHARACTER VARYING(200) NOT NULL,
    "type" CHARACTER VARYING(20) NOT NULL,
    "script" CHARACTER VARYING(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" CHARACTER VARYING(100) NOT NULL,
    "installed_on" TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);          
ALTER TABLE "public"."flyway_history_consent" ADD CONSTRAINT "public"."flyway_history_consent_pk" PRIMARY KEY("installed_rank");               
-- 7 +/- SELECT COUNT(*) FROM public.flyway_history_consent;   
INSERT INTO "public"."flyway_history_consent" VALUES
(-1, NULL, '<< Flyway Schema History table created >>', 'TABLE', '', NULL, '', TIMESTAMP '2026-12-01 15:21:54.623419', 0, TRUE),
(1, '0', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, '', TIMESTAMP '2026-12-01 15:21:54.625351', 0, TRUE),
(2, '1', 'installation', 'SQL', 'V1__installation.sql', 2037721626, '', TIMESTAMP '2026-12-01 15:21:54.635202', 3, TRUE),
(3, '2', 'consent ledger', 'SQL', 'V2__consent_ledger.sql', 464196588, '', TIMESTAMP '2026-12-01 15:21:54.646792', 7, TRUE),
(4, '3', 'data subject requests', 'SQL', 'V3__data_subject_requests.sql', -2137356648, '', TIMESTAMP '2026-12-01 15:21:54.656803', 5, TRUE),
(5, '4', 'webhooks', 'SQL', 'V4__webhooks.sql', 1701601401, '', TIMESTAMP '2026-12-01 15:21:54.665636', 5, TRUE),
(6, '5', 'receipts and identifiers', 'SQL', 'V5__receipts_and_identifiers.sql', -1477174136, '', TIMESTAMP '2026-12-01 15:21:54.673764', 4, TRUE);              
CREATE INDEX "public"."flyway_history_consent_s_idx" ON "public"."flyway_history_consent"("success" NULLS LAST);               
CREATE CACHED TABLE "public"."installation"(
    "id" CHARACTER VARYING(36) NOT NULL,
    "singleton" BOOLEAN DEFAULT TRUE NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
);     
ALTER TABLE "public"."installation" ADD CONSTRAINT "public"."CONSTRAINT_7" PRIMARY KEY("id");  
-- 1 +/- SELECT COUNT(*) FROM public.installation;             
INSERT INTO "public"."installation" VALUES
('5f83cd95-0188-4e22-9bab-81602af22026', TRUE, TIMESTAMP WITH TIME ZONE '2026-12-01 15:21:54.751+00');              
CREATE CACHED TABLE "public"."consent_events"(
    "id" BIGINT GENERATED BY DEFAULT AS IDENTITY(START WITH 1 RESTART WITH 4) NOT NULL,
    "event_id" CHARACTER VARYING(36) NOT NULL,
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "subject" CHARACTER VARYING(256) NOT NULL,
    "purpose" CHARACTER VARYING(128) NOT NULL,
    "state" CHARACTER VARYING(16) NOT NULL,
    "notice_id" CHARACTER VARYING(128),
    "notice_version" INTEGER,
    "language" CHARACTER VARYING(35),
    "lawful_basis" CHARACTER VARYING(64) NOT NULL,
    "method" CHARACTER VARYING(16) NOT NULL,
    "acting_party" CHARACTER VARYING(16) NOT NULL,
    "collected_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "valid_until" TIMESTAMP WITH TIME ZONE,
    "channel" CHARACTER VARYING(64),
    "ip_truncated" CHARACTER VARYING(64),
    "user_agent_hash" CHARACTER VARYING(64),
    "ui_version" CHARACTER VARYING(64),
    "idempotency_key" CHARACTER VARYING(128)
);        
ALTER TABLE "public"."consent_events" ADD CONSTRAINT "public"."CONSTRAINT_71" PRIMARY KEY("id");               
-- 3 +/- SELECT COUNT(*) FROM public.consent_events;           
INSERT INTO "public"."consent_events" VALUES
(1, '03d119bb-fe51-4d22-83d3-7b88344ff864', 'demo', 'user-42', 'email_marketing', 'GIVEN', 'marketing-notice', 2, 'en', 'gdpr:consent', 'API', 'SELF', TIMESTAMP WITH TIME ZONE '2026-12-01 15:21:59.977027+00', TIMESTAMP WITH TIME ZONE '2026-12-01 15:21:59.978429+00', TIMESTAMP WITH TIME ZONE '2028-12-01 15:21:59.977027+00', NULL, NULL, NULL, NULL, NULL),
(2, 'd60b4eb2-4df6-4482-b0de-ee5956ab2540', 'demo', 'user-43', 'email_marketing', 'GIVEN', 'marketing-notice', 2, 'en', 'gdpr:consent', 'API', 'SELF', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.050563+00', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.050655+00', TIMESTAMP WITH TIME ZONE '2028-12-01 15:22:00.050563+00', NULL, NULL, NULL, NULL, NULL),
(3, '373aa438-4d80-46a6-b96f-ad3218f0a484', 'demo', 'user-43', 'email_marketing', 'WITHDRAWN', 'marketing-notice', 2, 'en', 'gdpr:consent', 'API', 'SELF', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.080266+00', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.080302+00', NULL, NULL, NULL, NULL, NULL, NULL);       
CREATE INDEX "public"."consent_events_subject" ON "public"."consent_events"("tenant" NULLS LAST, "subject" NULLS LAST, "purpose" NULLS LAST, "id" NULLS LAST); 
CREATE CACHED TABLE "public"."consent_state"(
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "subject" CHARACTER VARYING(256) NOT NULL,
    "purpose" CHARACTER VARYING(128) NOT NULL,
    "state" CHARACTER VARYING(16) NOT NULL,
    "notice_version" INTEGER,
    "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "expires_at" TIMESTAMP WITH TIME ZONE,
    "explicit" BOOLEAN NOT NULL,
    "gpc_opt_out_at" TIMESTAMP WITH TIME ZONE,
    "last_event_id" CHARACTER VARYING(36) NOT NULL
);       
ALTER TABLE "public"."consent_state" ADD CONSTRAINT "public"."CONSTRAINT_C" PRIMARY KEY("tenant", "subject", "purpose");       
-- 2 +/- SELECT COUNT(*) FROM public.consent_state;            
INSERT INTO "public"."consent_state" VALUES
('demo', 'user-42', 'email_marketing', 'GIVEN', 2, TIMESTAMP WITH TIME ZONE '2026-12-01 15:21:59.977027+00', TIMESTAMP WITH TIME ZONE '2028-12-01 15:21:59.977027+00', TRUE, NULL, '03d119bb-fe51-4d22-83d3-7b88344ff864'),
('demo', 'user-43', 'email_marketing', 'WITHDRAWN', 2, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.080266+00', NULL, FALSE, NULL, '373aa438-4d80-46a6-b96f-ad3218f0a484');           
CREATE CACHED TABLE "public"."dsr_requests"(
    "id" CHARACTER VARYING(36) NOT NULL,
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "subject" CHARACTER VARYING(256) NOT NULL,
    "type" CHARACTER VARYING(20) NOT NULL,
    "regime" CHARACTER VARYING(8) NOT NULL,
    "status" CHARACTER VARYING(16) NOT NULL,
    "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "paused_since" TIMESTAMP WITH TIME ZONE,
    "paused_seconds" BIGINT NOT NULL,
    "extended_months" INTEGER NOT NULL,
    "extension_reason" CHARACTER VARYING(1000),
    "denial_reason" CHARACTER VARYING(40),
    "outcome_note" CHARACTER VARYING(2000),
    "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL
);            
ALTER TABLE "public"."dsr_requests" ADD CONSTRAINT "public"."CONSTRAINT_9A" PRIMARY KEY("id"); 
-- 1 +/- SELECT COUNT(*) FROM public.dsr_requests;             
INSERT INTO "public"."dsr_requests" VALUES
('a673640b-d432-491e-8766-a6a331d82e0b', 'demo', 'user-44', 'ACCESS', 'GDPR', 'VERIFYING', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.184976+00', TIMESTAMP WITH TIME ZONE '2027-01-01 15:22:00.184976+00', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.184976+00', 0, 0, NULL, NULL, NULL, TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.184976+00');         
CREATE INDEX "public"."dsr_requests_due" ON "public"."dsr_requests"("tenant" NULLS LAST, "status" NULLS LAST, "due_at" NULLS LAST);            
CREATE INDEX "public"."dsr_requests_subject" ON "public"."dsr_requests"("tenant" NULLS LAST, "subject" NULLS LAST);            
CREATE CACHED TABLE "public"."dsr_events"(
    "id" BIGINT GENERATED BY DEFAULT AS IDENTITY(START WITH 1 RESTART WITH 2) NOT NULL,
    "request_id" CHARACTER VARYING(36) NOT NULL,
    "status" CHARACTER VARYING(16) NOT NULL,
    "note" CHARACTER VARYING(2000),
    "at" TIMESTAMP WITH TIME ZONE NOT NULL
);             
ALTER TABLE "public"."dsr_events" ADD CONSTRAINT "public"."CONSTRAINT_9E" PRIMARY KEY("id");   
-- 1 +/- SELECT COUNT(*) FROM public.dsr_events;               
INSERT INTO "public"."dsr_events" VALUES
(1, 'a673640b-d432-491e-8766-a6a331d82e0b', 'VERIFYING', 'received', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.184976+00');       
CREATE INDEX "public"."dsr_events_request" ON "public"."dsr_events"("request_id" NULLS LAST, "id" NULLS LAST); 
CREATE CACHED TABLE "public"."webhook_recipients"(
    "id" CHARACTER VARYING(36) NOT NULL,
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "url" CHARACTER VARYING(2000) NOT NULL,
    "events" CHARACTER VARYING(1000) NOT NULL,
    "secret_ciphertext" CHARACTER VARYING(500) NOT NULL,
    "active" BOOLEAN NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
);             
ALTER TABLE "public"."webhook_recipients" ADD CONSTRAINT "public"."CONSTRAINT_CB" PRIMARY KEY("id");           
-- 0 +/- SELECT COUNT(*) FROM public.webhook_recipients;       
CREATE CACHED TABLE "public"."webhook_outbox"(
    "id" CHARACTER VARYING(36) NOT NULL,
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "type" CHARACTER VARYING(64) NOT NULL,
    "payload" CHARACTER VARYING(4000) NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
);         
ALTER TABLE "public"."webhook_outbox" ADD CONSTRAINT "public"."CONSTRAINT_8" PRIMARY KEY("id");
-- 1 +/- SELECT COUNT(*) FROM public.webhook_outbox;           
INSERT INTO "public"."webhook_outbox" VALUES
('0a951fd7-c46c-4aa9-b842-248024439b22', 'demo', 'consent.withdrawn', '{"type":"consent.withdrawn","tenant":"demo","subject":"user-43","purpose":"email_marketing","reference":"373aa438-4d80-46a6-b96f-ad3218f0a484","occurred_at":"2026-12-01T15:22:00.080266Z"}', TIMESTAMP WITH TIME ZONE '2026-12-01 15:22:00.080302+00');   
CREATE CACHED TABLE "public"."webhook_deliveries"(
    "outbox_id" CHARACTER VARYING(36) NOT NULL,
    "recipient_id" CHARACTER VARYING(36) NOT NULL,
    "status" CHARACTER VARYING(16) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "last_status" INTEGER,
    "last_error" CHARACTER VARYING(200),
    "delivered_at" TIMESTAMP WITH TIME ZONE
);
ALTER TABLE "public"."webhook_deliveries" ADD CONSTRAINT "public"."CONSTRAINT_20" PRIMARY KEY("outbox_id", "recipient_id");    
-- 0 +/- SELECT COUNT(*) FROM public.webhook_deliveries;       
CREATE INDEX "public"."webhook_deliveries_due" ON "public"."webhook_deliveries"("status" NULLS LAST, "next_attempt_at" NULLS LAST);            
CREATE CACHED TABLE "public"."consent_signing_keys"(
    "name" CHARACTER VARYING(200) NOT NULL,
    "public_jwk" CHARACTER VARYING(2000) NOT NULL,
    "wrapped_key" BINARY VARYING NOT NULL,
    "root_key_id" CHARACTER VARYING(300) NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL
);        
ALTER TABLE "public"."consent_signing_keys" ADD CONSTRAINT "public"."CONSTRAINT_7A" PRIMARY KEY("name");       
-- 1 +/- SELECT COUNT(*) FROM public.consent_signing_keys;     
INSERT INTO "public"."consent_signing_keys" VALUES
('consent-receipts', '{"kty":"EC","crv":"P-256","kid":"jlDCcDJC3M9qzXa5KiKmEonx4GY6CFnzpsPSchREgD8","x":"2z5ubcG9JoDoCyVo03UUblO_TgfkyRXRGZnH7xfWb2g","y":"JHPCa1ZHxxG08mpPS-xFb71VRdzKSf8PLObGoKR7IFo"}', X'014abd76cfffa4f8f1cf3c3bd77a0bfefa864fed496edda8eff241d2db2b4139130a69f579f500c03e5a32135d907aa21212fae972c79ec2b96bd2fdfa4b4edd81a99b439a7d76023431d5871d5c706dc14544afe4d7d48996dc2733d94f0eee', 'file:b1da65ccc91a53fd', TIMESTAMP WITH TIME ZONE '2026-12-01 15:21:55.807056+00');         
CREATE CACHED TABLE "public"."consent_identifiers"(
    "tenant" CHARACTER VARYING(256) NOT NULL,
    "subject" CHARACTER VARYING(256) NOT NULL,
    "kind" CHARACTER VARYING(16) NOT NULL,
    "term" CHARACTER VARYING(64) NOT NULL,
    "ciphertext" CHARACTER VARYING(1000) NOT NULL
);    
ALTER TABLE "public"."consent_identifiers" ADD CONSTRAINT "public"."CONSTRAINT_82" PRIMARY KEY("tenant", "subject", "kind");   
-- 0 +/- SELECT COUNT(*) FROM public.consent_identifiers;      
CREATE INDEX "public"."consent_identifiers_term" ON "public"."consent_identifiers"("tenant" NULLS LAST, "kind" NULLS LAST, "term" NULLS LAST); 
ALTER TABLE "public"."installation" ADD CONSTRAINT "public"."CONSTRAINT_796" CHECK("singleton") NOCHECK;       
ALTER TABLE "public"."crypto_keyring_state" ADD CONSTRAINT "public"."CONSTRAINT_A1" CHECK("id" = 1) NOCHECK;   
ALTER TABLE "public"."audit_state" ADD CONSTRAINT "public"."CONSTRAINT_37" CHECK("id" = 1) NOCHECK;            
ALTER TABLE "public"."consent_events" ADD CONSTRAINT "public"."CONSTRAINT_718" UNIQUE NULLS DISTINCT ("event_id");             
ALTER TABLE "public"."installation" ADD CONSTRAINT "public"."CONSTRAINT_79" UNIQUE NULLS DISTINCT ("singleton");               
ALTER TABLE "public"."consent_events" ADD CONSTRAINT "public"."consent_events_idempotency" UNIQUE NULLS DISTINCT ("tenant", "idempotency_key");
CREATE FORCE TRIGGER "public"."audit_checkpoints_append_only" BEFORE UPDATE, DELETE ON "public"."audit_checkpoints" FOR EACH ROW QUEUE 1024 CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';          
CREATE FORCE TRIGGER "public"."audit_prunes_append_only" BEFORE UPDATE, DELETE ON "public"."audit_prunes" FOR EACH ROW QUEUE 1024 CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';    
CREATE FORCE TRIGGER "public"."audit_subtrees_append_only" BEFORE UPDATE, DELETE ON "public"."audit_subtrees" FOR EACH ROW QUEUE 1024 CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
CREATE FORCE TRIGGER "public"."audit_entries_append_only" BEFORE UPDATE, DELETE ON "public"."audit_entries" FOR EACH ROW QUEUE 1024 CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';  
CREATE FORCE TRIGGER "public"."audit_bodies_append_only" BEFORE UPDATE, DELETE ON "public"."audit_bodies" FOR EACH ROW QUEUE 1024 CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';    
CREATE FORCE TRIGGER "public"."audit_state_no_delete" BEFORE DELETE ON "public"."audit_state" FOR EACH ROW QUEUE 1024 CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
