-- One SMS sender per area (src/notify/sms.h): the gateway's webhook that
-- every text to a resident's phone goes through (the portal's sign-in
-- codes, a place freed on an event's wait list, a pet's licence falling
-- due). It was the portal's own setting (portal_settings.sms_webhook);
-- the value moves here and the old table goes.

CREATE TABLE sms_settings (
	area_id BIGINT PRIMARY KEY REFERENCES areas(id),
	webhook TEXT NOT NULL DEFAULT '' -- '' : texts go to the log (development)
);
INSERT INTO sms_settings (area_id, webhook) SELECT area_id, sms_webhook FROM portal_settings;
DROP TABLE portal_settings;
