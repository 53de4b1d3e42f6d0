-- One counter that every write raises (through the audit log, in the same
-- transaction). Servers keep answers to repeated reads while it stands
-- still; several servers sharing one database all see it move.
CREATE TABLE data_version (
	id BIGINT PRIMARY KEY,
	v BIGINT NOT NULL
);
INSERT INTO data_version (id, v) VALUES (1, 0);
