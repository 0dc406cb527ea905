package io.orderly.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The median of several runs, with their minimum and maximum. */
record Stats(double median, double min, double max) {

    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1));
    }

    /** Run by run: ours ÷ theirs, or theirs ÷ ours when {@code inverse} (latencies). */
    static Stats ratio(List<RunResult> ours, List<RunResult> theirs, Function<RunResult, Double> figure, boolean inverse) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
            double a = figure.apply(ours.get(i));
            double b = figure.apply(theirs.get(i));
            ratios.add(inverse ? b / a : a / b);
        }
        return of(ratios);
    }

    /** "median (min–max)" with the given number of decimals. */
    String format(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median, min, max);
    }
}
