-- The telemetry table becomes range-partitioned by record time, one partition per month (UTC),
-- so that inserts touch recent index pages and retention drops whole months. Its name and columns
-- stay, so the original collector's dashboards query it unchanged.
--
-- Partitions: telemetry_before (MINVALUE up to the first month), telemetry_YYYY_MM (one per
-- month, created ahead of need by PostgresPartitions) and telemetry_after (past the last month,
-- up to MAXVALUE). Any record time is storable, and no record can make the collector create a
-- partition: times outside the months land in the before or after partition.
--
-- A record is stored once per application, type, record time and identity: a unique key on a
-- partitioned table must hold the partition key, and leading with the type and time keeps each
-- insert near the recent end of its partition's index.
--
-- The V1 table is kept in place as the before partition (no rows are copied): it ends at the
-- month after its latest record, and only records dated later than now move to the after
-- partition.

SET LOCAL TIME ZONE 'UTC';

-- sles/system_profile takes the day it was collected as its record time (it was the envelope's
-- time): stored profiles get it too, so that a profile re-sent after the upgrade is a duplicate.
CREATE FUNCTION pg_temp.utc_day(day text) RETURNS timestamptz
    LANGUAGE plpgsql AS
$$
BEGIN
    RETURN day::date::timestamp AT TIME ZONE 'UTC';
EXCEPTION
    WHEN others THEN RETURN NULL;
END
$$;

UPDATE telemetry
SET time = pg_temp.utc_day(payload ->> 'collected_on'), time_nanos = 0
WHERE application = 'sles' AND telemetry_type = 'system_profile' AND schema_version = 1
  AND payload ->> 'collected_on' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
  AND pg_temp.utc_day(payload ->> 'collected_on') IS NOT NULL;

-- The outbox and the rejections name a record by its id and time, so that joining them to the
-- telemetry table looks into one partition. The rejections lose their foreign key: a foreign key
-- to a partitioned table is checked under the parent's ACCESS EXCLUSIVE lock whenever a partition
-- is detached, and it would keep rows from moving out of the after partition. Retention removes
-- the rejections of the records it removes.
ALTER TABLE outbox_rejected DROP CONSTRAINT outbox_rejected_telemetry_id_fkey;

ALTER TABLE outbox ADD COLUMN telemetry_time timestamptz;
UPDATE outbox o SET telemetry_time = t.time FROM telemetry t WHERE t.id = o.telemetry_id;
-- Entries whose record was deleted: the forwarder would drop them unsent.
DELETE FROM outbox WHERE telemetry_time IS NULL;
ALTER TABLE outbox ALTER COLUMN telemetry_time SET NOT NULL;

ALTER TABLE outbox_rejected ADD COLUMN telemetry_time timestamptz;
UPDATE outbox_rejected r SET telemetry_time = t.time FROM telemetry t WHERE t.id = r.telemetry_id;
DELETE FROM outbox_rejected WHERE telemetry_time IS NULL;
ALTER TABLE outbox_rejected ALTER COLUMN telemetry_time SET NOT NULL;

-- The V1 table becomes the before partition.
ALTER TABLE telemetry RENAME TO telemetry_before;
ALTER TABLE telemetry_before DROP CONSTRAINT telemetry_pkey;
ALTER TABLE telemetry_before DROP CONSTRAINT telemetry_identity_unique;
-- Served by the unique key's leading columns now.
DROP INDEX telemetry_type_time_idx;

CREATE TABLE telemetry (
    id             bigint      GENERATED ALWAYS AS IDENTITY,
    application    text        NOT NULL,
    telemetry_type text        NOT NULL,
    time           timestamptz NOT NULL,
    payload        jsonb       NOT NULL,
    schema_version integer     NOT NULL,
    received_at    timestamptz NOT NULL,
    -- timestamptz keeps microseconds; the record time's nanosecond of its second is kept here,
    -- so that InfluxDB gets the time exactly as sent.
    time_nanos     integer     NOT NULL
        CONSTRAINT telemetry_time_nanos_check CHECK (time_nanos BETWEEN 0 AND 999999999),
    -- 128 bits of SHA-256 over the record's identity fields (or whole content).
    identity       uuid        NOT NULL,
    CONSTRAINT telemetry_pkey PRIMARY KEY (id, time),
    CONSTRAINT telemetry_record_unique UNIQUE (application, telemetry_type, time, identity)
) PARTITION BY RANGE (time);

DO
$$
    DECLARE
        old_sequence text := pg_get_serial_sequence('telemetry_before', 'id');
        next_id      bigint;
        latest       timestamptz;
        first_month  timestamptz;
    BEGIN
        -- Ids go on from where V1 left them: the outbox names records by id.
        EXECUTE format('SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s',
                       old_sequence) INTO next_id;
        SELECT greatest(next_id, coalesce(max(id), 0) + 1) INTO next_id FROM telemetry_before;
        ALTER TABLE telemetry_before ALTER COLUMN id DROP IDENTITY;
        EXECUTE format('ALTER TABLE telemetry ALTER COLUMN id RESTART WITH %s', next_id);

        SELECT max(time) INTO latest FROM telemetry_before WHERE time <= now();
        first_month := CASE
                           WHEN latest IS NULL THEN date_trunc('month', now())
                           ELSE date_trunc('month', latest) + interval '1 month'
            END;

        CREATE TABLE telemetry_after (LIKE telemetry_before INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
        WITH moved AS (DELETE FROM telemetry_before WHERE time >= first_month RETURNING *)
        INSERT INTO telemetry_after SELECT * FROM moved;

        ALTER TABLE telemetry_before ADD CONSTRAINT telemetry_before_pkey PRIMARY KEY (id, time);
        ALTER TABLE telemetry_before ADD CONSTRAINT telemetry_before_record_unique
            UNIQUE (application, telemetry_type, time, identity);
        EXECUTE format('ALTER TABLE telemetry ATTACH PARTITION telemetry_before'
                           || ' FOR VALUES FROM (MINVALUE) TO (%L)', first_month);
        EXECUTE format('ALTER TABLE telemetry ATTACH PARTITION telemetry_after'
                           || ' FOR VALUES FROM (%L) TO (MAXVALUE)', first_month);
    END
$$;

-- Envelope ids are forgotten after a de-duplication window, oldest first. The table is not
-- partitioned by time: its key would have to hold the time, and then the same id received at
-- another time would no longer be a duplicate.
CREATE INDEX envelope_received_at_idx ON envelope (received_at);
