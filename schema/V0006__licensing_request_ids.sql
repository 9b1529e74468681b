-- Licensing writes (AttachLicence, ElectLicence, SetConsent, RevokeLicence)
-- take request ids, as lineage writes do: a retry after a lost answer gets
-- the first answer back instead of appending a second record. The request
-- is claimed in write_request like any other; result_seq names the record
-- an appending write stored (its seq in licence_attachment, licence_election
-- or consent, as the row's method says). RevokeLicence appends nothing and
-- leaves it NULL: its answer is the licence, found by the id it names.
ALTER TABLE write_request ADD COLUMN result_seq bigint;
