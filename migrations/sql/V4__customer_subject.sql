-- The identity-provider subject (the JWT's `sub`) a customer is bound to. A customer registering
-- themselves is bound to their own subject; customers that staff register stay unbound (NULL).
-- A subject is bound to at most one customer, and the binding never changes.
ALTER TABLE customers ADD COLUMN subject text;

ALTER TABLE customers ADD CONSTRAINT customers_subject_format CHECK (
    length(subject) BETWEEN 1 AND 255
    AND subject !~ '[[:cntrl:]]');

CREATE UNIQUE INDEX customers_subject_unique ON customers (subject);
