-- Submissions rejected by validation (400), kept so that they can be inspected, and replayed once
-- the schema accepts them: sources such as Trento do not retry on 400. Only the body and facts
-- about it: never the client's address, nor any header but the media type.
CREATE TABLE quarantine (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- SHA-256 of the route and the whole body as received: the same body sent again is kept once.
    fingerprint       bytea       NOT NULL CONSTRAINT quarantine_fingerprint_unique UNIQUE,
    route             text        NOT NULL,
    media_type        text        NOT NULL,
    -- What the submission claimed, where it could be read; schema_version 0 when unknown.
    application       text,
    telemetry_type    text,
    schema_version    integer     NOT NULL,
    -- The first violation, array indexes as '*', by which entries are grouped; then all of them.
    first_violation   text        NOT NULL,
    violations        jsonb       NOT NULL,
    -- After decompression; a body that is not even JSON only up to a limit (received_size says
    -- how long it was).
    body              bytea       NOT NULL,
    received_size     integer     NOT NULL,
    -- What the entry counts against the size cap: the body kept and the violations' text.
    size_bytes        bigint      NOT NULL,
    first_received_at timestamptz NOT NULL,
    last_received_at  timestamptz NOT NULL,
    times_received    bigint      NOT NULL
);

-- The size cap and the retention period drop the entries last received longest ago first.
CREATE INDEX quarantine_last_received_idx ON quarantine (last_received_at, id);

-- The quarantine's size, kept up to date by the triggers below as rows come and go (whoever
-- removes them), so that keeping within the cap never has to add up the whole table.
CREATE TABLE quarantine_usage (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    entries   bigint  NOT NULL,
    bytes     bigint  NOT NULL
);
INSERT INTO quarantine_usage (entries, bytes) VALUES (0, 0);

CREATE FUNCTION quarantine_count_inserted() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE quarantine_usage
    SET entries = quarantine_usage.entries + counted.n, bytes = quarantine_usage.bytes + counted.size
    FROM (SELECT count(*) AS n, coalesce(sum(size_bytes), 0) AS size FROM inserted) counted
    WHERE counted.n > 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION quarantine_count_deleted() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE quarantine_usage
    SET entries = quarantine_usage.entries - counted.n, bytes = quarantine_usage.bytes - counted.size
    FROM (SELECT count(*) AS n, coalesce(sum(size_bytes), 0) AS size FROM deleted) counted
    WHERE counted.n > 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION quarantine_count_truncated() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE quarantine_usage SET entries = 0, bytes = 0;
    RETURN NULL;
END
$$;

-- With INSERT ... ON CONFLICT DO UPDATE, the inserted table holds only the rows actually
-- inserted; a repeat updates counts and times only, never size_bytes.
CREATE TRIGGER quarantine_inserted
    AFTER INSERT ON quarantine REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION quarantine_count_inserted();

CREATE TRIGGER quarantine_deleted
    AFTER DELETE ON quarantine REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION quarantine_count_deleted();

CREATE TRIGGER quarantine_truncated
    AFTER TRUNCATE ON quarantine
    FOR EACH STATEMENT EXECUTE FUNCTION quarantine_count_truncated();
