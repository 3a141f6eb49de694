-- Forwarding to secondary sinks, as several replicas do it at once.
--
-- The sinks of the deployment are known to the database: a replica configured with a sink registers
-- it here, and every record stored by any replica is queued in the outbox for every enabled sink.
CREATE TABLE sink (
    name          text        PRIMARY KEY,
    enabled       boolean     NOT NULL DEFAULT true,
    registered_at timestamptz NOT NULL DEFAULT now()
);

-- A sink that has entries was configured on the replicas that wrote them.
INSERT INTO sink (name)
SELECT sink FROM outbox
UNION
SELECT sink FROM outbox_rejected;

-- A forwarder claims a batch under a lease (owner and expiry) in one short transaction, delivers it
-- with no transaction open, then settles it; once a lease runs out (its replica died), another
-- replica claims the batch. A record failing on its own counts its attempts, and is parked once
-- they run out. Entries are handed out in the order they were queued (seq), so that the oldest,
-- whose age readiness reports, goes first, replayed or not.
ALTER TABLE outbox
    ADD COLUMN seq              bigint      GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN queued_at        timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN lease_owner      uuid,
    ADD COLUMN lease_expires_at timestamptz,
    ADD COLUMN attempts         integer     NOT NULL DEFAULT 0,
    ADD COLUMN failing_since    timestamptz,
    ADD COLUMN last_error       text;

CREATE INDEX outbox_sink_seq_idx ON outbox (sink, seq);

-- Parked records: those a sink refused for good, could not hold, or that kept failing on their own.
-- They wait here, with the reason, until somebody retries or drops them.
ALTER TABLE outbox_rejected
    ADD COLUMN attempts integer NOT NULL DEFAULT 1;

-- Replays re-queue stored records for a sink over a time range, in chunks, recording where they
-- are so that an interrupted replay resumes. One row per replay: the sink, the range and the type
-- ('' for all) name it.
CREATE TABLE outbox_replay (
    sink                text        NOT NULL,
    from_time           timestamptz NOT NULL,
    to_time             timestamptz NOT NULL,
    application         text        NOT NULL,
    telemetry_type      text        NOT NULL,
    total               bigint      NOT NULL,
    walked              bigint      NOT NULL DEFAULT 0,
    queued              bigint      NOT NULL DEFAULT 0,
    -- The last record walked, in the order of the telemetry table's unique key.
    at_application      text,
    at_telemetry_type   text,
    at_time             timestamptz,
    at_identity         uuid,
    started_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    finished_at         timestamptz,
    PRIMARY KEY (sink, from_time, to_time, application, telemetry_type)
);
