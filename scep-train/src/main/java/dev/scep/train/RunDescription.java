package dev.scep.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parameters that decide a training run's result, as named text values in a fixed order: what a checkpoint
 * ({@code train}) or a manifest ({@code cv}) records, so that a run that would continue it can be compared with it
 * field by field and every difference named, as {@code name=recorded value} against {@code name=this run's value}.
 *
 * <p>Names are short identifiers (letters, digits, '_', '-', '.'); values are any text without line breaks or tabs.
 * Immutable and safe to share between threads; two descriptions are equal when they hold the same names with the
 * same values, whatever their order.
 */
public final class RunDescription {
    private final Map<String, String> values;

    /**
     * A description of these values (copied).
     *
     * @param values name → value, in the order they are to be shown
     * @throws IllegalArgumentException when a name holds other characters than letters, digits, '_', '-' and '.', or
     *                                  a value holds a tab or a line break ({@link #oneLine} escapes them)
     * @throws NullPointerException     when a value is null
     */
    public RunDescription(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("run parameter name '" + name + "': letters, digits, '_', '-' and '.' only");
            }
            Objects.requireNonNull(value, name);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\t') >= 0) {
                throw new IllegalArgumentException("run parameter " + name + ": the value may not hold tabs or line breaks");
            }
            copy.put(name, value);
        });
        this.values = Collections.unmodifiableMap(copy);
    }

    /**
     * {@code text} with backslashes, tabs and line breaks escaped ({@code \\}, {@code \t}, {@code \n}, {@code \r}), fit for a value.
     *
     * @param text any text
     * @return the text on one line
     */
    public static String oneLine(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    /**
     * Name → value, in order.
     *
     * @return the values, unmodifiable
     */
    public Map<String, String> values() {
        return values;
    }

    /** The value of {@code name}, or null. */
    String get(String name) {
        return values.get(name);
    }

    /**
     * The names whose values differ between this (recorded) description and {@code current}, or that only one has.
     *
     * @param current the description of the run that would continue this one
     * @return the names, this description's first, then those only {@code current} has; empty when they agree
     */
    public List<String> differences(RunDescription current) {
        Set<String> names = new LinkedHashSet<>(values.keySet());
        names.addAll(current.values.keySet());
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (!Objects.equals(values.get(n), current.values.get(n))) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * "a run with lr=5.0E-4, seed=1; this run has lr=0.001, seed=2", naming every difference between this recorded
     * description and {@code current} (a value one side lacks shows as {@code (none)}), or null when they agree.
     *
     * @param current the description of the run that would continue this one
     * @return the differences in words, or null
     */
    public String mismatch(RunDescription current) {
        List<String> names = differences(current);
        if (names.isEmpty()) {
            return null;
        }
        return "a run with " + describe(names) + "; this run has " + current.describe(names);
    }

    /** {@code name=value, ...} for the given names. */
    String describe(List<String> names) {
        List<String> parts = new ArrayList<>();
        for (String n : names) {
            String v = values.get(n);
            parts.add(n + "=" + (v == null ? "(none)" : v));
        }
        return String.join(", ", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunDescription r && values.equals(r.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return describe(List.copyOf(values.keySet()));
    }
}
