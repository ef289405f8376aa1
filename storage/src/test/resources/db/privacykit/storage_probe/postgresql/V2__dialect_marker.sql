CREATE TABLE storage_probe_dialect (name VARCHAR(20) NOT NULL);
INSERT INTO storage_probe_dialect (name) VALUES ('postgresql');
