package io.orderly.projection;

import java.util.HashMap;
import java.util.Map;

import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.RowChange;

/** Row changes of the customers table as the change source reports them, for tests that apply them by hand. */
final class CustomerChanges {

    private CustomerChanges() {
    }

    static RowChange inserted(String id, String email, String name, int version) {
        return new RowChange.Inserted("customers", row(id, email, name, version));
    }

    static RowChange updated(String id, String email, String name, int version) {
        return new RowChange.Updated("customers", row(id, email, name, version));
    }

    static RowChange deleted(String id) {
        return new RowChange.Deleted("customers", new Row(Map.of("id", id)));
    }

    private static Row row(String id, String email, String name, int version) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", id);
        values.put("email", email);
        values.put("name", name);
        values.put("version", version);
        values.put("created_at", "2026-11-26T08:00:00.123456Z");
        values.put("updated_at", "2026-11-26T08:0" + version + ":00Z");
        return new Row(values);
    }
}
