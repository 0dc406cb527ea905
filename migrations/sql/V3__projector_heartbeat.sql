-- Written by the projector's Debezium heartbeat (heartbeat.action.query) every few seconds, so
-- that a change flows through the slot even when no application table changes: the slot's
-- position then keeps advancing (WAL does not pile up behind it) and the read models' watermark
-- keeps up with the database.
CREATE TABLE projector_heartbeat (
    id      integer     PRIMARY KEY,
    beat_at timestamptz NOT NULL,
    CONSTRAINT projector_heartbeat_single_row CHECK (id = 1)
);

ALTER PUBLICATION orderly ADD TABLE projector_heartbeat;
