package dev.scep.train.prepare;

import java.util.List;

/**
 * One resolution of populations: the cells grouped by the values of one annotation column, or by a nested path of
 * columns (tissue ⊃ class ⊃ subclass). A population is named {@code column=value}, nested ones by the path joined
 * with '/', e.g. {@code tissue=muscle/class=myotube}, so names stay unique across levels. Immutable.
 *
 * @param columns the annotation columns, outermost first (at least one)
 */
public record PopulationLevel(List<String> columns) {
    /**
     * Copies the columns.
     *
     * @throws IllegalArgumentException when there is no column
     */
    public PopulationLevel {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a population level needs at least one column");
        }
        columns = List.copyOf(columns);
    }

    /**
     * The populations of one annotation column.
     *
     * @param column the column's header name in the cell table
     * @return the level
     */
    public static PopulationLevel of(String column) {
        return new PopulationLevel(List.of(column));
    }

    /**
     * The levels of a nesting: {@code [a], [a, b], [a, b, c]} for columns {@code a, b, c}.
     *
     * @param columns the columns, outermost first
     * @return one level per prefix of {@code columns}, shortest first (empty for no column)
     */
    public static List<PopulationLevel> nested(List<String> columns) {
        return java.util.stream.IntStream.rangeClosed(1, columns.size())
                .mapToObj(k -> new PopulationLevel(columns.subList(0, k))).toList();
    }

    /** The level's name: its columns joined with '>'. */
    String name() {
        return String.join(">", columns);
    }
}
