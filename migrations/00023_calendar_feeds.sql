-- Calendar feeds: iCalendar (RFC 5545) subscription links to a class's, a
-- teacher's, a learner's or a venue's sessions, for Google Calendar, Apple
-- Calendar and Outlook.
--
-- A link is a secret: 32 random bytes, base64url in the URL
-- (/ical/{token}.ics). Only the token's SHA-256 is stored, so a copy of the
-- database gives no working link; the owner sees the raw URL once, when the
-- link is made. Revoking sets revoked_at (the row stays, for the audit);
-- every fetch re-checks that the owner may still read the subject, so a
-- link dies with the grant that allowed it.
-- +goose Up
CREATE TABLE calendar_feeds (
    id              bigserial PRIMARY KEY,
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    kind            text NOT NULL CHECK (kind IN ('class', 'teacher', 'learner', 'venue')),
    -- the class, venue or person (teacher, learner) the feed shows
    subject_id      bigint NOT NULL CHECK (subject_id > 0),
    -- who made the link; the feed shows what this person may read
    person_id       bigint NOT NULL REFERENCES people (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    last_fetched_at timestamptz
);
CREATE INDEX calendar_feeds_person_idx ON calendar_feeds (person_id, created_at) WHERE revoked_at IS NULL;

-- +goose Down
DROP TABLE calendar_feeds;
