-- Request ids belong to the principal that sent them (issue 10): the key
-- is (principal, request_id), so one tool cannot pre-claim another's id,
-- and the same id from two principals is two requests. The principal is
-- the admitted caller's name (a token's name, 'cert:<subject>', or 'open'
-- under --auth open); '' for writes made outside any call (tools, tests).
--
-- Claims written before this migration get 'open': until access tokens
-- existed every caller ran unauthenticated, as --auth open's callers still
-- do, so a loopback rmtcd upgraded in place keeps replaying them. A token
-- sending an old id makes a new request.
--
-- Claims expire (rmtcd --request-id-days): a background sweep deletes the
-- old ones in small batches, oldest first, through the index below.
ALTER TABLE write_request ADD COLUMN principal text NOT NULL DEFAULT 'open';
ALTER TABLE write_request ALTER COLUMN principal DROP DEFAULT;
ALTER TABLE write_request DROP CONSTRAINT write_request_pkey;
ALTER TABLE write_request ADD PRIMARY KEY (principal, request_id);
CREATE INDEX write_request_created_at ON write_request (created_at);
