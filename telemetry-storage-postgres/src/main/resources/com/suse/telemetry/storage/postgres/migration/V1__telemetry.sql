-- The system of record. One row per telemetry record.
--
-- The first five columns are the original collector's table, which existing Grafana dashboards
-- query directly (payload->>'agent_id', DATE_TRUNC('day', time), ...): keep them as they are.
CREATE TABLE telemetry (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application    text        NOT NULL,
    telemetry_type text        NOT NULL,
    time           timestamptz NOT NULL,
    payload        jsonb       NOT NULL,
    -- What the collector adds beside them.
    schema_version integer     NOT NULL,
    received_at    timestamptz NOT NULL,
    -- timestamptz keeps microseconds; the record time's nanosecond of its second is kept here,
    -- so that InfluxDB gets the time exactly as sent.
    time_nanos     integer     NOT NULL CHECK (time_nanos BETWEEN 0 AND 999999999),
    -- 128 bits of SHA-256 over the record's identity fields (or whole content): a record sent
    -- again is stored once per application and telemetry type.
    identity       uuid        NOT NULL,
    CONSTRAINT telemetry_identity_unique UNIQUE (application, telemetry_type, identity)
);

-- Time-range queries per telemetry type, the dashboards' main access path.
CREATE INDEX telemetry_type_time_idx ON telemetry (application, telemetry_type, time);

-- Envelope ids seen: a source re-sending an envelope with the same id stores nothing twice.
CREATE TABLE envelope (
    id          uuid        PRIMARY KEY,
    received_at timestamptz NOT NULL
);

-- Records not yet delivered to each secondary sink (e.g. InfluxDB), written in the same
-- transaction as the records and deleted once the sink acknowledged them; drained in id order.
-- No foreign key: its check would cost every insert, and the forwarder drops entries whose
-- record was deleted.
CREATE TABLE outbox (
    sink         text   NOT NULL,
    telemetry_id bigint NOT NULL,
    PRIMARY KEY (sink, telemetry_id)
);

-- Records a sink refused for good (e.g. a field type conflict), kept for people to inspect.
CREATE TABLE outbox_rejected (
    sink         text        NOT NULL,
    telemetry_id bigint      NOT NULL REFERENCES telemetry (id) ON DELETE CASCADE,
    reason       text        NOT NULL,
    rejected_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sink, telemetry_id)
);

-- Conversions for the typed BI views: a value the column type cannot hold reads as NULL rather
-- than failing the whole query.
CREATE FUNCTION telemetry_bigint(value jsonb) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE
           WHEN jsonb_typeof(value) = 'number'
               AND value::text::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
               THEN value::text::numeric::bigint
           END
$$;

CREATE FUNCTION telemetry_double(value jsonb) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE
           WHEN jsonb_typeof(value) = 'number'
               AND (value::text::numeric = 0
                   OR abs(value::text::numeric) BETWEEN 2.2250738585072014e-308
                       AND 1.7976931348623157e308)
               THEN value::text::numeric::double precision
           END
$$;

CREATE FUNCTION telemetry_boolean(value jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE WHEN jsonb_typeof(value) = 'boolean' THEN value::text::boolean END
$$;

CREATE FUNCTION telemetry_text(value jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE WHEN jsonb_typeof(value) = 'string' THEN value #>> '{}' END
$$;
