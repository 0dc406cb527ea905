-- Customers of the back office. The checks repeat the command side's validation so that
-- the table rejects bad data even if a code path forgets to validate.
CREATE TABLE customers (
    id         uuid        PRIMARY KEY,
    email      text        NOT NULL,
    name       text        NOT NULL,
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_email_format CHECK (
        length(email) BETWEEN 3 AND 254
        AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    CONSTRAINT customers_name_format CHECK (
        length(name) BETWEEN 1 AND 100
        AND name = btrim(name)
        AND name !~ '[[:cntrl:]]'),
    CONSTRAINT customers_version_positive CHECK (version > 0),
    CONSTRAINT customers_updated_after_created CHECK (updated_at >= created_at)
);

-- Email addresses are unique regardless of case: Ann@Example.com and ann@example.com are one person.
CREATE UNIQUE INDEX customers_email_unique ON customers (lower(email));

-- The change stream: the projector reads exactly the tables in this publication.
-- Later migrations add their tables with ALTER PUBLICATION orderly ADD TABLE ...
CREATE PUBLICATION orderly FOR TABLE customers;
