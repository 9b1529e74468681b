-- The deployment's secret: the key that signs page tokens (HMAC-SHA256), so
-- a token changed on its way back is refused rather than resuming a
-- listing somewhere else. One row, made here once; every rmtcd on this
-- database reads it at start, so a token from one replica works on all.
-- gen_random_uuid() (PostgreSQL 13+, no extension) draws from the server's
-- strong random source: two of them give 244 random bits.
CREATE TABLE deployment_key (
  one            boolean     PRIMARY KEY DEFAULT true CHECK (one),
  page_token_key bytea       NOT NULL CHECK (length(page_token_key) = 32),
  created_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO deployment_key (page_token_key)
  VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- Also here: rmtc_time() (V0002) multiplied an interval by the microsecond
-- count, which PostgreSQL does in double precision: beyond 2^53 µs (the
-- year 2255) times were rounded, and 9999-12-31T23:59:59.999999 became
-- year 10000. Whole seconds and the microseconds left are each exact.
CREATE OR REPLACE FUNCTION rmtc_time(micros text) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT AS
  $$ SELECT CASE WHEN micros = '' THEN NULL
                 ELSE 'epoch'::timestamptz + (micros::int8 / 1000000) * interval '1 second'
                                          + (micros::int8 % 1000000) * interval '1 microsecond'
            END $$;
