package io.orderly.bench.baseline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one index the baseline adds to Orderly's write schema: a listing of orders by status, newest
 * first, needs it (the write side never lists orders, so its schema has no such index). Without it
 * every page would sort all orders of the status, which would make the baseline a strawman.
 */
@Component
class BaselineSchema implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BaselineSchema.class);

    private final JdbcClient jdbc;

    BaselineSchema(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        jdbc.sql("CREATE INDEX IF NOT EXISTS bench_orders_status_placed_at ON orders (status, placed_at, id)").update();
        jdbc.sql("ANALYZE orders").update();
        log.info("Baseline index bench_orders_status_placed_at ready");
    }
}
