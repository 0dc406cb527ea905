-- An idempotency key belongs to the customer who uses it. Unique across all orders, a key could
-- be claimed by whoever sent it first, and another customer's retry with it was then refused.
-- The new constraint's index, on (customer_id, idempotency_key), also serves placeOrder's lookup.
ALTER TABLE orders
    DROP CONSTRAINT orders_idempotency_key_unique,
    ADD CONSTRAINT orders_idempotency_key_unique_per_customer UNIQUE (customer_id, idempotency_key);
