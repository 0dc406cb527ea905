-- The catalog and the orders. As in V1, the checks repeat the command side's rules so that the
-- tables refuse what the code must never write.
CREATE TABLE products (
    id          uuid           PRIMARY KEY,
    sku         text           NOT NULL,
    name        text           NOT NULL,
    description text,
    price       numeric(12, 2) NOT NULL,
    stock       integer        NOT NULL,
    active      boolean        NOT NULL DEFAULT true,
    version     integer        NOT NULL DEFAULT 1,
    created_at  timestamptz    NOT NULL DEFAULT now(),
    updated_at  timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT products_sku_unique UNIQUE (sku),
    CONSTRAINT products_sku_format CHECK (sku ~ '^[A-Z0-9][A-Z0-9._-]{0,39}$'),
    CONSTRAINT products_name_format CHECK (
        length(name) BETWEEN 1 AND 200
        AND name = btrim(name)
        AND name !~ '[[:cntrl:]]'),
    CONSTRAINT products_description_length CHECK (length(description) <= 2000),
    CONSTRAINT products_price_not_negative CHECK (price >= 0),
    CONSTRAINT products_stock_not_negative CHECK (stock >= 0),
    CONSTRAINT products_version_positive CHECK (version > 0),
    CONSTRAINT products_updated_after_created CHECK (updated_at >= created_at)
);

CREATE TABLE orders (
    id                  uuid           PRIMARY KEY,
    customer_id         uuid           NOT NULL REFERENCES customers (id),
    status              text           NOT NULL DEFAULT 'PLACED',
    total               numeric(14, 2) NOT NULL,
    version             integer        NOT NULL DEFAULT 1,
    placed_at           timestamptz    NOT NULL DEFAULT now(),
    updated_at          timestamptz    NOT NULL DEFAULT now(),
    -- A client-chosen key that makes placeOrder safe to retry, and a digest of the request it
    -- was first used with (a key reused for a different order is refused).
    idempotency_key     text,
    request_fingerprint text,
    CONSTRAINT orders_status_known CHECK (status IN ('PLACED', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
    CONSTRAINT orders_total_not_negative CHECK (total >= 0),
    CONSTRAINT orders_version_positive CHECK (version > 0),
    CONSTRAINT orders_updated_after_placed CHECK (updated_at >= placed_at),
    CONSTRAINT orders_idempotency_key_length CHECK (length(idempotency_key) BETWEEN 1 AND 100),
    CONSTRAINT orders_idempotency_key_unique UNIQUE (idempotency_key),
    CONSTRAINT orders_fingerprint_with_key CHECK ((idempotency_key IS NULL) = (request_fingerprint IS NULL))
);

CREATE INDEX orders_customer ON orders (customer_id, placed_at);

-- Lines keep the sku, name and unit price the product had when the order was placed.
CREATE TABLE order_lines (
    order_id   uuid           NOT NULL REFERENCES orders (id),
    line_no    integer        NOT NULL,
    product_id uuid           NOT NULL REFERENCES products (id),
    sku        text           NOT NULL,
    name       text           NOT NULL,
    unit_price numeric(12, 2) NOT NULL,
    quantity   integer        NOT NULL,
    PRIMARY KEY (order_id, line_no),
    -- Lines for the same product are merged by the command side: one line per product.
    CONSTRAINT order_lines_one_per_product UNIQUE (order_id, product_id),
    CONSTRAINT order_lines_line_no_range CHECK (line_no BETWEEN 1 AND 100),
    CONSTRAINT order_lines_quantity_positive CHECK (quantity BETWEEN 1 AND 10000),
    CONSTRAINT order_lines_unit_price_not_negative CHECK (unit_price >= 0)
);

CREATE INDEX order_lines_product ON order_lines (product_id);

ALTER PUBLICATION orderly ADD TABLE products, orders, order_lines;
