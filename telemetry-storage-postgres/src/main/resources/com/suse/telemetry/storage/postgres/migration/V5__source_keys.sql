-- Source keys: the tokens sources send as Authorization: Bearer. Never the token itself: its id
-- (public, as logs name it) and a SHA-256 of its secret. Every replica reads them every few
-- seconds, so a key made or revoked anywhere counts everywhere soon after.
CREATE TABLE source_key (
    id           text        PRIMARY KEY,
    secret_hash  bytea       NOT NULL CHECK (length(secret_hash) = 32),
    applications text[]      NOT NULL,
    note         text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
