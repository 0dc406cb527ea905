package io.orderly.projection;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.apply.ReadModelBatch;
import io.orderly.cdc.assembly.RowChange;


/**
 * A projection with a bug, for tests: it cannot apply a customer named {@value #NAME} until it is
 * {@linkplain #fixed() fixed}, as a real projection might choke on a row it did not expect.
 * Every other change passes untouched.
 */
public final class PoisonPill implements Projection {

    public static final String NAME = "Poison Pill";

    private static volatile boolean fixed;

    /** Deploys the fix: from now on the change applies (as a no-op). */
    public static void fixed() {
        fixed = true;
    }

    public static void broken() {
        fixed = false;
    }

    @Override
    public Set<String> tables() {
        return Set.of("customers");
    }

    @Override
    public void apply(RowChange change, ReadModelBatch batch) {
        if (!fixed && NAME.equals(change.row().nullableString("name"))) {
            throw new IllegalStateException("the projection cannot handle a customer named " + NAME);
        }
    }

    @Override
    public Collection<String> documentsRead(RowChange change) {
        return List.of();
    }
}
