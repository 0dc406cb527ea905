package io.orderly.bench;

import java.util.ArrayList;
import java.util.List;

/** The {@code --orderly.…=…} options a benchmark passes on to the measured Orderly as they are, to compare settings. */
final class OrderlyOptions {

    private OrderlyOptions() {
    }

    /** An application option given as {@code --orderly.name=value}. */
    static boolean isOrderlyOption(String arg) {
        return arg.startsWith("--orderly.") && arg.indexOf('=') > 0;
    }

    /**
     * The application's arguments: {@code fixed}, less those the {@code options} set again, then the
     * options (Spring would join two values of one property into a list).
     */
    static List<String> withOptions(List<String> fixed, List<String> options) {
        List<String> names = options.stream().map(option -> option.substring(0, option.indexOf('=') + 1)).toList();
        List<String> arguments = new ArrayList<>(fixed.stream().filter(arg -> names.stream().noneMatch(arg::startsWith)).toList());
        arguments.addAll(options);
        return arguments;
    }
}
